// Notices that a file may have changed, whoever wrote it. fs.watch on the folder (an atomic
// rename replaces the file's inode, so watching the file itself would go deaf after the first
// save), plus a cheap stat poll because fs.watch misses events on network and some virtual
// filesystems. Bursts are debounced into one call; the caller re-reads and decides.
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';

export interface FileWatchOptions {
  /** Quiet time after the last event before `onMaybeChanged` runs. */
  debounceMs?: number;
  /** How often the fallback poll stats the file. */
  pollMs?: number;
  /** False: poll only, as on a filesystem where fs.watch reports nothing. */
  useFsWatch?: boolean;
  /** Times the debounce and the poll (tests pass a manual clock). */
  clock?: Pick<Clock, 'setTimer'>;
}

export function watchFileChanges(
  filePath: string,
  onMaybeChanged: () => void,
  {
    debounceMs = 100,
    pollMs = 1000,
    useFsWatch = true,
    clock = systemClock,
  }: FileWatchOptions = {},
): () => void {
  let closed = false;
  let cancelDebounce: (() => void) | undefined;
  let cancelPoll: (() => void) | undefined;
  let lastSignature: string | undefined;

  const changed = () => {
    if (closed) return;
    cancelDebounce?.();
    cancelDebounce = clock.setTimer(() => {
      if (!closed) onMaybeChanged();
    }, debounceMs);
  };

  const watcher = useFsWatch ? watchFolder(filePath, changed) : undefined;

  // Each poll schedules the next once its stat is done, so slow stats never pile up.
  const poll = async () => {
    const signature = await fileSignature(filePath);
    if (lastSignature !== undefined && signature !== lastSignature) changed();
    lastSignature = signature;
    if (!closed) cancelPoll = clock.setTimer(() => void poll(), pollMs);
  };
  void poll();

  return () => {
    closed = true;
    cancelDebounce?.();
    cancelPoll?.();
    watcher?.close();
  };
}

/** fs.watch on the file's folder, filtered by name; undefined where it cannot be started. */
function watchFolder(filePath: string, changed: () => void): FSWatcher | undefined {
  const base = path.basename(filePath);
  try {
    const watcher = watch(path.dirname(filePath), { persistent: false }, (_event, filename) => {
      // Some platforms do not report the name; then any event in the folder counts.
      if (filename === null || filename === base) changed();
    });
    // E.g. the folder was deleted: the poll still notices when the file comes back.
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}

/** Inode, size and mtime: changes on every save, including a rename over the file. */
async function fileSignature(filePath: string): Promise<string> {
  try {
    const info = await stat(filePath, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch {
    return 'missing';
  }
}
