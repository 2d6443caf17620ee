// The running worker's latest snapshot on disk, so `studio-worker status` in another terminal can
// say what it is doing. Written atomically, at most once a second, never with secrets in it.
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

/** Keeps the status file current while the worker runs; returns a function that writes the last one. */
export function publishStatus(folder: string, observers: WorkerObservers, intervalMs = 1000) {
  const file = statusFilePath(folder);
  let dirty = true;
  let writing: Promise<void> = Promise.resolve();
  const flush = (running: boolean) => {
    dirty = false;
    const content = {
      pid: process.pid,
      updatedAt: new Date().toISOString(),
      running,
      snapshot: observers.snapshot(),
    };
    writing = writing.then(() => write(file, content)).catch(() => undefined);
    return writing;
  };
  const off = observers.subscribe(() => (dirty = true));
  const timer = setInterval(() => dirty && void flush(true), intervalMs);
  timer.unref();
  void flush(true);
  return async () => {
    off();
    clearInterval(timer);
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
