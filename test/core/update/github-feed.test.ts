import { describe, expect, it } from 'vitest';
import { parseGithubReleases } from '../../../src/core/update/github-feed.js';
import { DRAFT_RELEASE, RELEASE_LIST, feedJson } from './fixtures.js';

const STABLE = { includePrerelease: false };

describe('parseGithubReleases with the recorded releases list', () => {
  it('picks the highest stable release, reading the tag v9.0 as 9.0.0', async () => {
    const latest = parseGithubReleases(await feedJson(RELEASE_LIST), {
      ...STABLE,
      currentVersion: '1.0.0',
    });
    expect(latest).toEqual({
      version: '9.0.0',
      tag: 'v9.0',
      url: 'https://github.com/deanishe/alfred-workflow-dummy/releases/tag/v9.0',
    });
  });

  it('picks the prerelease v10.0-beta only when prereleases are opted in', async () => {
    const latest = parseGithubReleases(await feedJson(RELEASE_LIST), {
      includePrerelease: true,
      currentVersion: '1.0.0',
    });
    expect(latest).toMatchObject({ version: '10.0.0-beta', tag: 'v10.0-beta' });
  });

  it('returns null when the current version equals the newest release', async () => {
    const json = await feedJson(RELEASE_LIST);
    expect(parseGithubReleases(json, { ...STABLE, currentVersion: '9.0.0' })).toBeNull();
  });

  it('returns null when the current version is newer than every release', async () => {
    const json = await feedJson(RELEASE_LIST);
    expect(parseGithubReleases(json, { ...STABLE, currentVersion: '11.0.0' })).toBeNull();
  });

  it('offers a release between the current version and the newest one', async () => {
    const json = await feedJson(RELEASE_LIST);
    expect(parseGithubReleases(json, { ...STABLE, currentVersion: '6.0.0' })?.tag).toBe('v9.0');
  });
});

describe('parseGithubReleases with the recorded draft release', () => {
  it('ignores a draft even when it is the only, newer release', async () => {
    const json = await feedJson(DRAFT_RELEASE);
    expect(
      parseGithubReleases(json, { includePrerelease: true, currentVersion: '0.1.0' }),
    ).toBeNull();
  });

  it('reads a single release object as a feed of one', async () => {
    const published = { ...((await feedJson(DRAFT_RELEASE)) as object), draft: false };
    expect(
      parseGithubReleases(published, { includePrerelease: true, currentVersion: '0.1.0' }),
    ).toMatchObject({ version: '3.0.0-beta', tag: 'v3.0.0-beta' });
  });

  it('treats a -beta tag as a prerelease even when GitHub did not flag it', async () => {
    const published = { ...((await feedJson(DRAFT_RELEASE)) as object), draft: false };
    expect(parseGithubReleases(published, { ...STABLE, currentVersion: '0.1.0' })).toBeNull();
  });
});

describe('parseGithubReleases with hand-made feeds', () => {
  it('reads studio-worker-v1.2.3 tags', () => {
    const feed = [{ tag_name: 'studio-worker-v1.2.3' }, { tag_name: 'studio-worker-v1.10.0' }];
    expect(parseGithubReleases(feed, { ...STABLE, currentVersion: '1.2.3' })).toEqual({
      version: '1.10.0',
      tag: 'studio-worker-v1.10.0',
    });
  });

  it('never downgrades: a prerelease of the current version is older than it', () => {
    const feed = [{ tag_name: 'v1.2.0-rc.1', prerelease: true }, { tag_name: 'v1.1.9' }];
    expect(parseGithubReleases(feed, { includePrerelease: true, currentVersion: '1.2.0' })).toBe(
      null,
    );
  });

  it('moves from a prerelease to a later one by numeric order (beta.2 to beta.11)', () => {
    const feed = [{ tag_name: 'v1.0.0-beta.11' }, { tag_name: 'v1.0.0-beta.3' }];
    expect(
      parseGithubReleases(feed, { includePrerelease: true, currentVersion: '1.0.0-beta.2' })?.tag,
    ).toBe('v1.0.0-beta.11');
  });

  it('skips tags that are not versions', () => {
    const feed = [{ tag_name: 'nightly' }, { tag_name: 'v2.0.0' }, { tag_name: 'docs-2024' }];
    expect(parseGithubReleases(feed, { ...STABLE, currentVersion: '1.0.0' })?.tag).toBe('v2.0.0');
  });

  it('falls back to the first asset when a release has no page URL', () => {
    const feed = {
      tag_name: 'v2.0.0',
      assets: [{ name: 'sw.tgz', browser_download_url: 'https://example.com/sw.tgz' }],
    };
    expect(parseGithubReleases(feed, { ...STABLE, currentVersion: '1.0.0' })?.url).toBe(
      'https://example.com/sw.tgz',
    );
  });

  it('rejects something that is neither a list nor a release object', () => {
    expect(() => parseGithubReleases('<html>', { ...STABLE, currentVersion: '1.0.0' })).toThrow(
      'release feed is not a GitHub releases list: expected a list of releases or one release object (got "<html>")',
    );
  });

  it('rejects a release whose tag_name is not a string, saying where', () => {
    const feed = [{ tag_name: 'v1.0.0' }, { tag_name: 5 }];
    expect(() => parseGithubReleases(feed, { ...STABLE, currentVersion: '1.0.0' })).toThrow(
      'release feed is not a GitHub releases list: [1].tag_name must be a string (got 5)',
    );
  });

  it('rejects a release object without a tag_name', () => {
    expect(() =>
      parseGithubReleases({ name: 'x' }, { ...STABLE, currentVersion: '1.0.0' }),
    ).toThrow(
      'release feed is not a GitHub releases list: tag_name must be a string (got nothing)',
    );
  });

  it('rejects a current version that is not a version', () => {
    expect(() => parseGithubReleases([], { ...STABLE, currentVersion: 'dev' })).toThrow(
      'the current version "dev" is not a version like 1.2.3',
    );
  });
});
