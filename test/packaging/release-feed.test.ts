// scripts/release-feed.mjs: the latest*.yml electron-updater reads, for a folder of installers.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFeeds, feedFor, parseArgs } from '../../scripts/release-feed.mjs';

const run = promisify(execFile);
// electron-updater's own YAML parser (a dependency of it, without types of its own).
const { load } = createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown };
const script = path.resolve('scripts/release-feed.mjs');
const sha512 = (bytes: Buffer | string) => createHash('sha512').update(bytes).digest('base64');

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-feed-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Feed {
  version: string;
  files: { url: string; sha512: string; size: number }[];
  path: string;
  sha512: string;
  releaseDate: string;
  stagingPercentage?: number;
}

const parse = (text: string | undefined) => load(text ?? '') as Feed;

describe('release:feed', () => {
  it('sorts installers into the feed of their platform', () => {
    expect(feedFor('StudioWorker-Setup-1.2.0.exe')).toBe('latest.yml');
    expect(feedFor('StudioWorker-1.2.0-mac-arm64.zip')).toBe('latest-mac.yml');
    expect(feedFor('StudioWorker-1.2.0-mac-x64.dmg', 'beta')).toBe('beta-mac.yml');
    expect(feedFor('StudioWorker-1.2.0-x86_64.AppImage')).toBe('latest-linux.yml');
    expect(feedFor('StudioWorker-1.2.0-amd64.deb')).toBe('latest-linux.yml');
    expect(feedFor('StudioWorker-1.2.0-arm64.AppImage')).toBe('latest-linux-arm64.yml');
    expect(feedFor('StudioWorker-1.2.0.AppImage.blockmap')).toBeNull();
    expect(feedFor('builder-debug.yml')).toBeNull();
  });

  it('writes version, every file with its sha512 and size, path, releaseDate and staging', async () => {
    const files = {
      'StudioWorker-1.2.0-x86_64.AppImage': 'appimage bytes',
      'StudioWorker-1.2.0-amd64.deb': 'deb bytes!',
      'StudioWorker-1.2.0-mac-x64.dmg': 'dmg',
      'StudioWorker-1.2.0-mac-x64.zip': 'zip bytes',
      'Studio Worker Setup 1.2.0.exe': 'exe',
      'StudioWorker-1.2.0-x86_64.AppImage.blockmap': 'ignored',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    const releaseDate = '2026-05-16T00:00:00.000Z';
    const feeds = await buildFeeds(dir, { version: '1.2.0', staging: 25, releaseDate });
    expect(Object.keys(feeds).sort()).toEqual(['latest-linux.yml', 'latest-mac.yml', 'latest.yml']);

    const linux = parse(feeds['latest-linux.yml']);
    expect(linux).toEqual({
      version: '1.2.0',
      files: [
        {
          url: 'StudioWorker-1.2.0-x86_64.AppImage',
          sha512: sha512('appimage bytes'),
          size: 14,
        },
        { url: 'StudioWorker-1.2.0-amd64.deb', sha512: sha512('deb bytes!'), size: 10 },
      ],
      path: 'StudioWorker-1.2.0-x86_64.AppImage',
      sha512: sha512('appimage bytes'),
      releaseDate,
      stagingPercentage: 25,
    });
    // macOS installs from the zip: it comes first.
    const mac = parse(feeds['latest-mac.yml']);
    expect(mac.path).toBe('StudioWorker-1.2.0-mac-x64.zip');
    expect(mac.files.map((f) => f.url)).toEqual([
      'StudioWorker-1.2.0-mac-x64.zip',
      'StudioWorker-1.2.0-mac-x64.dmg',
    ]);
    // Names with spaces survive the YAML.
    expect(parse(feeds['latest.yml']).path).toBe('Studio Worker Setup 1.2.0.exe');
    expect(parse(feeds['latest.yml']).stagingPercentage).toBe(25);
  });

  it('leaves stagingPercentage out unless asked', async () => {
    await writeFile(path.join(dir, 'a.AppImage'), 'x');
    const feeds = await buildFeeds(dir, { version: '1.2.0' });
    expect(parse(feeds['latest-linux.yml'])).not.toHaveProperty('stagingPercentage');
  });

  it('refuses a folder without installers and a bad staging percentage', async () => {
    await expect(buildFeeds(dir, { version: '1.0.0' })).rejects.toThrow(/no installers/);
    expect(() => parseArgs([dir, '--staging', '150'])).toThrow(/0 to 100/);
    expect(() => parseArgs([dir, '--staging'])).toThrow(/needs a value/);
    expect(() => parseArgs([])).toThrow(/usage/);
    expect(parseArgs([dir, '--staging=0', '--channel', 'beta'])).toEqual({
      dir,
      staging: 0,
      channel: 'beta',
    });
  });

  it('runs as `npm run release:feed -- <dir>`, defaulting to package.json version', async () => {
    await writeFile(path.join(dir, 'StudioWorker-9.9.9-x86_64.AppImage'), 'bytes');
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const { stdout } = await run(process.execPath, [script, dir, '--staging', '10']);
    expect(stdout).toContain('latest-linux.yml');
    const feed = parse(await readFile(path.join(dir, 'latest-linux.yml'), 'utf8'));
    expect(feed).toMatchObject({ version, stagingPercentage: 10 });
    await expect(run(process.execPath, [script, dir, '--bogus'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown option --bogus'),
    });
  });
});
