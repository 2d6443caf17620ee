// A release feed as electron-builder publishes it (latest*.yml + the installer), written into the
// local studio's updates folder, and a real electron-updater updater reading it over HTTP.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';
import { AppImageUpdater } from 'electron-updater';
import { NodeHttpExecutor } from './node-http-executor.js';

export interface Release {
  version: string;
  /** The installer's bytes (random by default). */
  bytes?: Buffer;
  /** Publish a wrong checksum (a corrupted or tampered upload). */
  wrongSha512?: boolean;
  /** The channel file's name without .yml: latest (default), beta, … */
  channel?: string;
}

export function sha512Base64(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('base64');
}

/** Writes `<channel>.yml` for every platform (and this arch) plus the installer; returns its bytes. */
export async function publishRelease(updatesDir: string, release: Release): Promise<Buffer> {
  const bytes = release.bytes ?? randomBytes(64 * 1024);
  const file = `StudioWorker-${release.version}.AppImage`;
  const sha512 = release.wrongSha512
    ? sha512Base64(Buffer.from('something else'))
    : sha512Base64(bytes);
  const yml = [
    `version: ${release.version}`,
    'files:',
    `  - url: ${file}`,
    `    sha512: ${sha512}`,
    `    size: ${bytes.length}`,
    `path: ${file}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-05-16T00:00:00.000Z'",
    '',
  ].join('\n');
  await mkdir(updatesDir, { recursive: true });
  await writeFile(path.join(updatesDir, file), bytes);
  const channel = release.channel ?? 'latest';
  const arch = process.arch === 'x64' ? '' : `-${process.arch}`;
  for (const suffix of ['', '-mac', '-linux', `-linux${arch}`]) {
    await writeFile(path.join(updatesDir, `${channel}${suffix}.yml`), yml);
  }
  return bytes;
}

/**
 * A real AppImageUpdater for an app at `currentVersion`, configured like a packaged app (an
 * app-update.yml naming the generic feed), fetching over Node's HTTP. APPIMAGE must be set.
 */
export async function feedUpdater(opts: {
  dir: string;
  feedUrl: string;
  currentVersion: string;
}): Promise<AppImageUpdater> {
  const configPath = path.join(opts.dir, 'app-update.yml');
  await writeFile(
    configPath,
    `provider: generic\nurl: ${opts.feedUrl}\nupdaterCacheDirName: studio-worker-updater\n`,
  );
  const app: AppAdapter = {
    version: opts.currentVersion,
    name: 'studio-worker',
    isPackaged: true,
    appUpdateConfigPath: configPath,
    userDataPath: path.join(opts.dir, 'user-data'),
    baseCachePath: path.join(opts.dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  const updater = new AppImageUpdater(null, app);
  // The executor is internal to electron-updater (Electron's net in an app): give it Node's.
  (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  updater.logger = null;
  // An AppImage update may patch the running file by blocks; there is no running file here.
  updater.disableDifferentialDownload = true;
  return updater;
}
