// The update path of a packaged app, end to end but offline: scripts/release-feed.mjs writes the
// feed for a release N+1 into the local studio's updates folder, and the real electron-updater
// (AppImageUpdater with a Node HTTP executor, from test/main/updater) at version N checks it,
// downloads and verifies the installer, and honours stagingPercentage. Installing only after the
// worker drained is covered by test/main/updater/electron-update-source.test.ts.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main as releaseFeed } from '../../scripts/release-feed.mjs';
import { createGithubUpdateSource } from '../../src/core/update/github-source.js';
import { createElectronUpdateSource } from '../../src/main/updater/electron-update-source.js';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { feedUpdater, sha512Base64 } from '../main/updater/release-feed.js';

const CURRENT = '1.0.0';
const NEXT = '1.1.0';
const arch = process.arch === 'arm64' ? 'arm64' : 'x86_64';
const installer = `StudioWorker-${NEXT}-${arch}.AppImage`;

let dir = '';
let sim: StudioSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Publishes release NEXT as `npm run release:feed` would, then an app at CURRENT checking it. */
async function publish(opts: { staging?: number; tamper?: boolean } = {}) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-update-path-'));
  const updatesDir = path.join(dir, 'updates');
  await mkdir(updatesDir);
  const bytes = randomBytes(96 * 1024);
  await writeFile(path.join(updatesDir, installer), bytes);
  const args = [updatesDir, '--version', NEXT];
  if (opts.staging !== undefined) args.push('--staging', String(opts.staging));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  await releaseFeed(args);
  // Same size, other bytes: a corrupted or tampered upload after the feed was written.
  if (opts.tamper) await writeFile(path.join(updatesDir, installer), randomBytes(bytes.length));
  sim = await startStudioSim({
    port: 0,
    updatesDir,
    releases: [{ version: NEXT, assets: [{ name: installer, url: `/updates/${installer}` }] }],
  });
  vi.stubEnv('APPIMAGE', path.join(dir, `StudioWorker-${CURRENT}.AppImage`));
  const updater = await feedUpdater({
    dir,
    feedUrl: `${sim.url}/updates`,
    currentVersion: CURRENT,
  });
  const source = createElectronUpdateSource({ updater, prerelease: () => false });
  return { sim, bytes, updater, source };
}

describe('a release published with release:feed, read by the real electron-updater', () => {
  it('is offered to version N, downloaded, and verified against its sha512', async () => {
    const { source, bytes } = await publish();
    const available = await source.check();
    expect(available).toEqual({ kind: 'available', version: NEXT });
    if (available.kind !== 'available')
      throw new Error(`expected an update, got ${available.kind}`);
    expect(await source.apply(available)).toEqual({ kind: 'ready', version: NEXT });
    const pending = path.join(dir, 'cache', 'studio-worker-updater', 'pending', installer);
    expect(sha512Base64(await readFile(pending))).toBe(sha512Base64(bytes));
  });

  it('refuses an installer that does not match the feed', async () => {
    const { source } = await publish({ tamper: true });
    const available = await source.check();
    if (available.kind !== 'available')
      throw new Error(`expected an update, got ${available.kind}`);
    await expect(source.apply(available)).rejects.toThrow(/sha512 checksum mismatch/);
  });

  it('respects stagingPercentage: 0% is offered to nobody', async () => {
    const { source } = await publish({ staging: 0 });
    expect(await source.check()).toEqual({ kind: 'up-to-date', currentVersion: CURRENT });
  });

  it('respects stagingPercentage: 100% is offered to everybody', async () => {
    const { source } = await publish({ staging: 100 });
    expect(await source.check()).toEqual({ kind: 'available', version: NEXT });
  });

  it('the CLI (GitHub releases JSON) and the desktop app (latest-linux.yml) agree on the newest version', async () => {
    const { sim, source } = await publish();
    const cli = createGithubUpdateSource({
      feedUrl: `${sim.url}/releases`,
      currentVersion: CURRENT,
      includePrerelease: false,
    });
    const fromCli = await cli.check();
    const fromDesktop = await source.check();
    expect(fromCli).toMatchObject({ kind: 'available', version: NEXT });
    expect(fromDesktop).toEqual({ kind: 'available', version: NEXT });
  });
});
