// One worker per config: the tray app and `studio-worker run` both take this lock before they
// start, so two processes never work the same worker id and spool at once. The lock is a file
// next to the config (worker.lock) made with O_EXCL, holding the holder's pid and what it is; a
// lock whose pid is no longer alive (a crash, a SIGKILL) is stale and taken over.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'worker.lock';

export interface LockHolder {
  pid: number;
  /** What holds it, in words: "the Studio Worker tray app", "studio-worker run". */
  holder: string;
  since: string;
}

export type LockOutcome =
  | { kind: 'acquired'; release: () => Promise<void> }
  | { kind: 'held'; by: LockHolder; message: string };

export interface LockDeps {
  pid?: number;
  /** Whether a process with this pid is alive (tests replace it). */
  isAlive?: (pid: number) => boolean;
  now?: () => Date;
  /**
   * The folder the lock lives in: a fleet worker's state folder (its config folder may be
   * read-only, or absent), else the config's own folder.
   */
  folder?: string;
}

export function lockFilePath(configPath: string, folder = path.dirname(configPath)): string {
  return path.join(folder, LOCK_FILE);
}

/** process.kill(pid, 0): ESRCH means gone; EPERM means alive but someone else's. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isSafeInteger(value.pid) || (value.pid ?? 0) <= 0) return null;
    return {
      pid: value.pid!,
      holder: typeof value.holder === 'string' ? value.holder.slice(0, 100) : 'another process',
      since: typeof value.since === 'string' ? value.since.slice(0, 40) : 'unknown',
    };
  } catch {
    return null;
  }
}

export function lockHeldMessage(configPath: string, by: LockHolder): string {
  return (
    `another Studio Worker already works with ${configPath}: ${by.holder} (pid ${by.pid}, since ` +
    `${by.since}) — quit that one first, or give this one its own config with --config`
  );
}

/**
 * Takes the lock for `configPath` as `holder`. A lock left by a dead process, or one that cannot
 * be read (half-written), is replaced; a live holder is named in the outcome.
 */
export async function acquireWorkerLock(
  configPath: string,
  holder: string,
  deps: LockDeps = {},
): Promise<LockOutcome> {
  const pid = deps.pid ?? process.pid;
  const isAlive = deps.isAlive ?? processAlive;
  const file = lockFilePath(configPath, deps.folder);
  // A fleet worker's state folder may not exist yet on its first start.
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const mine: LockHolder = { pid, holder, since: (deps.now?.() ?? new Date()).toISOString() };
  // Two tries: the second after removing a stale lock another process may be replacing too.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        kind: 'acquired',
        release: async () => {
          if (released) return;
          released = true;
          // Only our own lock: never remove one another process took over.
          const current = parseHolder(await readFile(file, 'utf8').catch(() => ''));
          if (current?.pid === pid) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = parseHolder(await readFile(file, 'utf8').catch(() => ''));
    if (existing && existing.pid !== pid && isAlive(existing.pid))
      return { kind: 'held', by: existing, message: lockHeldMessage(configPath, existing) };
    await rm(file, { force: true });
  }
  throw new Error(
    `could not take the worker lock ${file}: another process keeps replacing it — check for other Studio Worker processes`,
  );
}
