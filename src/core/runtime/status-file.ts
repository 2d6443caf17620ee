// The running worker's latest snapshot on disk, so `studio-worker status` in another terminal can
// say what it is doing. Written atomically, at most once a second (the first change at once,
// through the same coalescer as the window's snapshots) and only when the snapshot changed, never
// with secrets in it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { Clock } from './clock.js';
import { isoTime, systemClock } from './clock.js';
import { createCoalescer } from './coalescer.js';
import type { WorkerObservers } from './observers.js';
import type { WorkerConfig } from '../config/types.js';

/**
 * Slower than a view's SNAPSHOT_INTERVAL_MS: each write is two fsyncs, and the reader is a
 * person running `studio-worker status` in a terminal.
 */
export const STATUS_FILE_INTERVAL_MS = 1_000;

export interface StatusFile {
  pid: number;
  updatedAt: string;
  running: boolean;
  snapshot: WorkerSnapshot;
}

/** The folder the status file lives in: the state folder of a fleet worker, else the config's. */
export function statusFolderFor(config: WorkerConfig, configPath: string): string {
  return config.state_dir ?? path.dirname(configPath);
}

export function statusFilePath(folder: string): string {
  return path.join(folder, 'worker-status.json');
}

export interface PublishOptions {
  intervalMs?: number;
  clock?: Clock;
}

/**
 * Keeps the status file current while the worker runs; returns a function that writes the last
 * one.
 */
export function publishStatus(
  folder: string,
  observers: Pick<WorkerObservers, 'snapshot' | 'subscribe'>,
  options: PublishOptions = {},
): () => Promise<void> {
  const file = statusFilePath(folder);
  const clock = options.clock ?? systemClock;
  // One write at a time, in order: the last one written is the last one asked for.
  let writing: Promise<void> = Promise.resolve();
  let lastWritten: string | undefined;
  const write = (running: boolean) => {
    // An idle worker costs nothing here: a snapshot set and set back writes nothing.
    const key = JSON.stringify({ running, snapshot: observers.snapshot() });
    if (key === lastWritten) return writing;
    lastWritten = key;
    const content: StatusFile = {
      pid: process.pid,
      updatedAt: isoTime(clock.now()),
      running,
      snapshot: observers.snapshot(),
    };
    // A status file that cannot be written (read-only folder) must not stop the worker.
    writing = writing
      .then(() => writeFileAtomic(file, JSON.stringify(content)))
      .catch(() => undefined);
    return writing;
  };
  const coalescer = createCoalescer<null>({
    intervalMs: options.intervalMs ?? STATUS_FILE_INTERVAL_MS,
    send: () => void write(true),
    clock,
  });
  const off = observers.subscribe(() => coalescer.push(null));
  coalescer.push(null);
  return async () => {
    off();
    coalescer.dispose();
    await write(false);
  };
}

export async function readStatusFile(folder: string): Promise<StatusFile | null> {
  try {
    return JSON.parse(await readFile(statusFilePath(folder), 'utf8')) as StatusFile;
  } catch {
    return null;
  }
}

/** Whether the process that wrote the file is still alive. */
export function isRunning(status: StatusFile): boolean {
  if (!status.running) return false;
  try {
    process.kill(status.pid, 0);
    return true;
  } catch {
    return false;
  }
}
