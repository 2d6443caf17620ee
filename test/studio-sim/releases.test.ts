import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startStudioSim, type GithubRelease, type StudioSim } from '../../src/studio-sim/index.js';
import { checkReleases, releaseFeed } from '../../src/studio-sim/releases.js';

let sim: StudioSim | undefined;
let dir: string | undefined;

afterEach(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

describe('GET /releases', () => {
  it('serves a GitHub releases array with tags, flags and absolute download URLs', async () => {
    sim = await startStudioSim({
      releases: [
        {
          version: '0.3.0-beta.1',
          prerelease: true,
          assets: [{ name: 'studio-worker-0.3.0-beta.1.AppImage', url: '/updates/a.AppImage' }],
        },
        { version: '0.2.1', assets: [{ name: 'x.exe', url: 'https://example.com/x.exe' }] },
        { version: '0.4.0', draft: true },
      ],
    });
    const res = await fetch(`${sim.url}/releases`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const feed = (await res.json()) as GithubRelease[];
    expect(feed.map((r) => [r.tag_name, r.prerelease, r.draft])).toEqual([
      ['studio-worker-v0.3.0-beta.1', true, false],
      ['studio-worker-v0.2.1', false, false],
      ['studio-worker-v0.4.0', false, true],
    ]);
    expect(feed[0]?.assets[0]).toMatchObject({
      name: 'studio-worker-0.3.0-beta.1.AppImage',
      browser_download_url: `${sim.url}/updates/a.AppImage`,
    });
    expect(feed[1]?.assets[0]?.browser_download_url).toBe('https://example.com/x.exe');
    expect(feed[0]?.html_url).toBe(`${sim.url}/releases/tag/studio-worker-v0.3.0-beta.1`);
  });

  it('serves the new list after setReleases', async () => {
    sim = await startStudioSim();
    expect(await (await fetch(`${sim.url}/releases`)).json()).toEqual([]);
    sim.setReleases([{ version: '1.0.0', tag: 'v1.0.0' }]);
    const feed = (await (await fetch(`${sim.url}/releases`)).json()) as GithubRelease[];
    expect(feed.map((r) => r.tag_name)).toEqual(['v1.0.0']);
  });

  it('answers 405 to a POST', async () => {
    sim = await startStudioSim();
    const res = await fetch(`${sim.url}/releases`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('checkReleases', () => {
  it('rejects a release without a version, naming the field', () => {
    expect(() => checkReleases([{ version: '' }])).toThrow(/releases\.0\.version/);
  });
});

describe('releaseFeed', () => {
  it('numbers assets uniquely across releases', () => {
    const feed = releaseFeed(
      [
        { version: '1.0.0', assets: [{ name: 'a', url: '/a' }] },
        { version: '0.9.0', assets: [{ name: 'b', url: '/b' }] },
      ],
      'http://127.0.0.1:1',
    );
    expect(feed.flatMap((r) => r.assets.map((a) => a.id))).toEqual([1, 2]);
  });
});

describe('GET /updates/<file>', () => {
  it('serves files from updatesDir', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-updates-'));
    await writeFile(join(dir, 'latest-linux.yml'), 'version: 0.3.0\n');
    sim = await startStudioSim({ updatesDir: dir });
    const res = await fetch(`${sim.url}/updates/latest-linux.yml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/yaml/);
    expect(await res.text()).toBe('version: 0.3.0\n');
  });

  it('answers 404 for a path that climbs out of updatesDir', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-updates-'));
    sim = await startStudioSim({ updatesDir: join(dir, 'feed') });
    await writeFile(join(dir, 'secret.txt'), 'no');
    const res = await fetch(`${sim.url}/updates/..%2Fsecret.txt`);
    expect(res.status).toBe(404);
  });

  it('answers 404 when no updatesDir is configured', async () => {
    sim = await startStudioSim();
    expect((await fetch(`${sim.url}/updates/latest.yml`)).status).toBe(404);
  });
});
