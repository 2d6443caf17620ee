import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  formatVersion,
  parseVersion,
  type Version,
} from '../../../src/core/update/semver.js';

function version(tag: string): Version {
  const parsed = parseVersion(tag);
  if (parsed === null) throw new Error(`expected ${tag} to parse`);
  return parsed;
}

describe('parseVersion', () => {
  it.each(['1.2.3', 'v1.2.3', 'studio-worker-v1.2.3', 'studio-worker-1.2.3'])(
    'reads %s as 1.2.3',
    (tag) => {
      expect(parseVersion(tag)).toEqual({ major: 1, minor: 2, patch: 3, prerelease: [] });
    },
  );

  it('reads a prerelease with numeric and text identifiers', () => {
    expect(version('v1.2.3-beta.11').prerelease).toEqual(['beta', 11]);
  });

  it('reads a two-part tag like v9.0 as 9.0.0', () => {
    expect(formatVersion(version('v9.0'))).toBe('9.0.0');
  });

  it('reads a two-part prerelease tag like v10.0-beta as 10.0.0-beta', () => {
    expect(formatVersion(version('v10.0-beta'))).toBe('10.0.0-beta');
  });

  it('ignores build metadata', () => {
    expect(formatVersion(version('1.2.3+build.7'))).toBe('1.2.3');
  });

  it.each([
    'latest',
    'v1',
    '1.2.3.4',
    'release-1.2.3',
    'other-app-v1.2.3',
    'V1.2.3',
    '01.2.3',
    '1.2.3-beta.01',
    '1.2.3-',
    '',
  ])('rejects the tag %j', (tag) => {
    expect(parseVersion(tag)).toBeNull();
  });
});

describe('compareVersions', () => {
  // Ascending, from the semver spec's precedence example plus the major/minor/patch steps.
  const ORDERED = [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.1.0',
    '2.0.0',
    '10.0.0',
  ];

  it('orders versions by semver precedence', () => {
    const shuffled = [...ORDERED].reverse().sort((a, b) => compareVersions(version(a), version(b)));
    expect(shuffled).toEqual(ORDERED);
  });

  it('ranks a release above its prereleases', () => {
    expect(compareVersions(version('1.0.0'), version('1.0.0-rc.1'))).toBeGreaterThan(0);
  });

  it('treats v1.2 and 1.2.0 as equal', () => {
    expect(compareVersions(version('v1.2'), version('1.2.0'))).toBe(0);
  });
});
