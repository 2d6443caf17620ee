// The running worker's latest snapshot on disk, so `studio-worker status` in another terminal can
// say what it is doing. Written atomically, at most once a second and only when the snapshot
// changed, never with secrets in it.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import type { WorkerObservers } from './observers.js';
import type { WorkerConfig } from '../config/types.js';

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

async function write(file: string, content: StatusFile): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(content), { mode: 0o600 });
  await rename(tmp, file);
}

/** Runs `fn` once after `ms`; returns a cancel. A test passes a manual one. */
export type Later = (fn: () => void, ms: number) => () => void;

const realLater: Later = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * Keeps the status file current while the worker runs; returns a function that writes the last
 * one. An idle worker costs nothing here: a timer is armed only by a change, and a change that
 * leaves the snapshot as it was last written (a value set and set back) writes nothing.
 */
export function publishStatus(
  folder: string,
  observers: WorkerObservers,
  intervalMs = 1000,
  later: Later = realLater,
) {
  const file = statusFilePath(folder);
  let lastWritten: string | undefined;
  let cancel: (() => void) | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = (running: boolean) => {
    cancel = undefined;
    const snapshot = observers.snapshot();
    const key = JSON.stringify({ running, snapshot });
    if (key === lastWritten) return writing;
    lastWritten = key;
    const content = { pid: process.pid, updatedAt: new Date().toISOString(), running, snapshot };
    writing = writing.then(() => write(file, content)).catch(() => undefined);
    return writing;
  };
  const off = observers.subscribe(() => {
    cancel ??= later(() => void flush(true), intervalMs);
  });
  void flush(true);
  return async () => {
    off();
    cancel?.();
    await flush(false);
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
