// The UpdateSource port: where the auto-updater tick learns about newer releases and, where the
// host can, installs them. The CLI's source reads a GitHub-releases JSON feed and only reports;
// the desktop app's source (electron-updater) downloads, verifies and installs.

export type UpdateCheck =
  | { kind: 'up-to-date'; currentVersion: string }
  | { kind: 'available'; version: string; url?: string };

export type UpdateApplyResult =
  /** Downloaded and verified; installs once the worker has drained. */
  | { kind: 'ready'; version: string }
  /** This host does not install updates itself (headless): the release was only reported. */
  | { kind: 'report-only'; version: string; url?: string };

export interface UpdateSource {
  /** Rejects with an Error saying what went wrong when the feed cannot be read. */
  check(signal?: AbortSignal): Promise<UpdateCheck>;
  apply(
    available: Extract<UpdateCheck, { kind: 'available' }>,
    signal?: AbortSignal,
  ): Promise<UpdateApplyResult>;
}
