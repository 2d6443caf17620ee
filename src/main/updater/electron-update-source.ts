// The desktop app's UpdateSource over electron-updater: check reads the feed of the `publish`
// config (app-update.yml, or dev-app-update.yml in development), apply downloads the installer
// and electron-updater verifies its sha512 and size, install hands over to the installer. The
// worker decides when: it checks only while idle and installs only after draining, so the updater
// itself never downloads on its own or installs on quit.
import type { AppUpdater } from 'electron-updater';
import { CancellationToken } from 'electron-updater';
import type { UpdateSource } from '../../core/update/source.js';
import { errorMessage } from '../../core/errors/message.js';

/** The part of electron-updater's AppUpdater this source drives (a real one in tests too). */
export type ElectronUpdater = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'allowPrerelease'
  | 'allowDowngrade'
  | 'channel'
  | 'currentVersion'
  | 'checkForUpdates'
  | 'downloadUpdate'
  | 'quitAndInstall'
>;

export interface DesktopUpdateSource extends UpdateSource {
  /** Quits and runs the downloaded installer, which restarts the app. Call only once drained. */
  install(): void;
}

/** Prereleases come from this channel (beta.yml on a generic feed; beta tags on GitHub). */
export const PRERELEASE_CHANNEL = 'beta';
const STABLE_CHANNEL = 'latest';
const CHANNEL_FILE_MISSING = 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND';

export function createElectronUpdateSource(opts: {
  updater: ElectronUpdater;
  /** auto_update_prerelease, read at each check. */
  prerelease: () => boolean;
}): DesktopUpdateSource {
  const { updater } = opts;
  // The worker downloads after deciding, and installs after draining: never behind its back.
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;

  const useChannel = (channel: string, prerelease: boolean) => {
    if (updater.channel !== channel) updater.channel = channel;
    updater.allowPrerelease = prerelease;
    // Setting a channel allows downgrades; an unattended worker should never go back a version.
    updater.allowDowngrade = false;
  };

  const checkOnce = async () => {
    const result = await updater.checkForUpdates();
    if (result === null) {
      throw new Error(
        'this build does not check for updates: only a packaged app (or a development build with dev-app-update.yml) does',
      );
    }
    return result;
  };

  return {
    async check() {
      const prerelease = opts.prerelease();
      useChannel(prerelease ? PRERELEASE_CHANNEL : STABLE_CHANNEL, prerelease);
      let result;
      try {
        result = await checkOnce();
      } catch (error) {
        // A feed without a beta channel still has stable releases for those who opted in.
        if (!prerelease || codeOf(error) !== CHANNEL_FILE_MISSING) throw cleaned(error);
        useChannel(STABLE_CHANNEL, true);
        result = await checkOnce().catch((again: unknown) => {
          throw cleaned(again);
        });
      }
      return result.isUpdateAvailable
        ? { kind: 'available', version: result.updateInfo.version }
        : { kind: 'up-to-date', currentVersion: updater.currentVersion.version };
    },

    async apply(available, signal) {
      const token = new CancellationToken();
      const cancel = () => token.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        await updater.downloadUpdate(token);
      } catch (error) {
        throw cleaned(error);
      } finally {
        signal?.removeEventListener('abort', cancel);
        token.dispose();
      }
      return { kind: 'ready', version: available.version };
    },

    install() {
      // Silent, and start the app again afterwards: a worker restarts unattended.
      updater.quitAndInstall(true, true);
    },
  };
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
}

/** electron-updater puts whole stack traces into some messages: keep the first line. */
function cleaned(error: unknown): Error {
  const message = errorMessage(error);
  const first = message.split('\n')[0]?.trim() || 'update failed';
  return new Error(first, { cause: error });
}
