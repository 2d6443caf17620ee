// The relaunch after an update starts in the tray, like a login launch: electron-updater starts
// the new version with no arguments of ours, so before installing we leave a marker in userData
// that the next start consumes. A marker older than an hour is from an install that never ran.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const RELAUNCH_MARKER = 'relaunch-hidden';
const MARKER_MAX_AGE_MS = 60 * 60 * 1000;

export async function writeRelaunchMarker(userData: string, now = Date.now()): Promise<void> {
  await writeFile(path.join(userData, RELAUNCH_MARKER), String(now), { mode: 0o600 });
}

/** Removes the marker; true when it was there and recent (this launch is the update's relaunch). */
export async function consumeRelaunchMarker(userData: string, now = Date.now()): Promise<boolean> {
  const file = path.join(userData, RELAUNCH_MARKER);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return false;
  await rm(file, { force: true }).catch(() => undefined);
  const at = Number(text.trim());
  return Number.isFinite(at) && at <= now && now - at < MARKER_MAX_AGE_MS;
}
