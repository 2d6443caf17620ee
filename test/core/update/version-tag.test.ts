import { compare } from 'semver';
import { describe, expect, it } from 'vitest';
import { parseCurrentVersion, parseVersionTag } from '../../../src/core/update/version-tag.js';

/** The canonical version a tag names, as the feed reports it. */
function canonical(tag: string): string | undefined {
  return parseVersionTag(tag)?.version;
}

describe('parseVersionTag', () => {
  it.each(['1.2.3', 'v1.2.3', 'studio-worker-v1.2.3', 'studio-worker-1.2.3', ' v1.2.3 '])(
    'reads %j as 1.2.3',
    (tag) => {
      expect(canonical(tag)).toBe('1.2.3');
    },
  );

  it('reads a prerelease with numeric and text identifiers', () => {
    expect(parseVersionTag('v1.2.3-beta.11')?.prerelease).toEqual(['beta', 11]);
  });

  it('reads a two-part tag like v9.0 as 9.0.0', () => {
    expect(canonical('v9.0')).toBe('9.0.0');
  });

  it('reads a two-part prerelease tag like v10.0-beta as 10.0.0-beta', () => {
    expect(canonical('v10.0-beta')).toBe('10.0.0-beta');
  });

  it('ignores build metadata', () => {
    expect(canonical('1.2.3+build.7')).toBe('1.2.3');
  });

  it.each([
    'latest',
    'v1',
    '1.2.3.4',
    'release-1.2.3',
    'other-app-v1.2.3',
    'V1.2.3',
    '=1.2.3',
    '01.2.3',
    '01.2',
    '1.2.3-beta.01',
    '1.2.3-',
    // Beyond Number.MAX_SAFE_INTEGER: it could not be ordered exactly.
    '99999999999999999999.0.0',
    '',
  ])('rejects the tag %j', (tag) => {
    expect(parseVersionTag(tag)).toBeNull();
  });
});

describe('parseCurrentVersion', () => {
  it('names the value that is not a version', () => {
    expect(() => parseCurrentVersion('dev')).toThrow('the current version "dev" is not a version');
  });
});

describe('tag order (semver precedence)', () => {
  // Ascending, from the semver spec's precedence example plus the major/minor/patch steps,
  // spelled in each way a tag may be.
  const ORDERED = [
    '1.0.0-alpha',
    'v1.0.0-alpha.1',
    'studio-worker-v1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    'v1.0.0-beta.11',
    '1.0.0-rc.1',
    'studio-worker-v1.0.0',
    '1.0.1',
    'v1.1',
    '2.0.0',
    'v10.0',
  ];
  const byVersion = (a: string, b: string) =>
    compare(parseCurrentVersion(a), parseCurrentVersion(b));

  it('orders tags by semver precedence, whatever their spelling', () => {
    expect([...ORDERED].reverse().sort(byVersion)).toEqual(ORDERED);
  });

  it('ranks a release above its prereleases', () => {
    expect(byVersion('1.0.0', '1.0.0-rc.1')).toBeGreaterThan(0);
  });

  it('compares numeric prerelease identifiers as numbers (beta.11 above beta.2)', () => {
    expect(byVersion('1.0.0-beta.11', '1.0.0-beta.2')).toBeGreaterThan(0);
  });

  it('treats v1.2, studio-worker-v1.2.0 and 1.2.0+build.5 as equal', () => {
    expect(byVersion('v1.2', 'studio-worker-v1.2.0')).toBe(0);
    expect(byVersion('v1.2', '1.2.0+build.5')).toBe(0);
  });
});
