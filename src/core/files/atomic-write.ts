// The one way the worker replaces a file it owns (config, identity, spool entries, status file):
// readers only ever see the old or the new contents, never half of it, and once the call returns
// the new contents survive a power cut. A temp file with a unique name is made in the target's
// folder, written, fsynced, renamed over the target, and the folder is fsynced so the rename
// itself is on disk. A failed write leaves no temp file behind.
//
// A target that is a symlink is either replaced (the default: a link planted in a folder of ours
// must not redirect the write) or, for a config kept with the user's dotfiles, followed: the write
// lands on the file the link points at, renamed over it in that file's own folder.
import { randomBytes } from 'node:crypto';
import { open, readlink, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';

/** Windows refuses a rename while another process (an indexer, a virus scanner) has the target open; that passes quickly. */
const RENAME_TRIES = 6;
const RENAME_RETRY_MS = 20;

/** As the kernel's own limit on a chain of links (Linux's MAXSYMLINKS). */
const MAX_LINK_HOPS = 40;

export interface AtomicWriteOptions {
  /** The file's permissions, set exactly (the umask does not narrow them). Default 0600. */
  mode?: number;
  /** What to do when the target is a symlink: replace the link (default) or write through it. */
  symlinks?: 'replace' | 'follow';
}

export async function writeFileAtomic(
  file: string,
  contents: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  const target = options.symlinks === 'follow' ? await symlinkTarget(file) : file;
  const dir = path.dirname(target);
  const temp = path.join(dir, tempName(path.basename(target)));
  let created = false;
  try {
    const handle = await open(temp, 'wx', mode);
    created = true;
    try {
      // The umask narrows `mode` at creation; set it exactly.
      await handle.chmod(mode);
      await handle.writeFile(contents);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, target);
  } catch (error) {
    // Only a temp file this call made: 'wx' never opens one that was already there.
    if (created) await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

const TEMP_NAME = /^\.(.+)\.\d+\.[0-9a-f]{12}\.tmp$/;

/** `.<name>.<pid>.<12 hex>.tmp`: hidden, unique per call, and telling which file it was for. */
function tempName(base: string): string {
  return `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * The name of the file a leftover temp file (from a write cut off by a crash) was meant to
 * replace, or undefined when `name` is not one of writeFileAtomic's temp files. Lets a folder's
 * owner (the spool) recognise and delete its own leftovers.
 */
export function atomicTempTarget(name: string): string | undefined {
  return TEMP_NAME.exec(name)?.[1];
}

/**
 * The file a write to `file` must replace: where its chain of symlinks ends (which may not exist
 * yet), or `file` itself when it is not a link. Only the last component is followed: a linked
 * folder on the way is already a place the rename works in.
 */
export async function symlinkTarget(file: string): Promise<string> {
  let current = file;
  for (let hops = 0; hops < MAX_LINK_HOPS; hops += 1) {
    let next: string;
    try {
      next = await readlink(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // EINVAL: not a link; ENOENT: nothing there yet. Either way, this is the file to write.
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'UNKNOWN') return current;
      throw error;
    }
    current = path.resolve(path.dirname(current), next);
  }
  throw Object.assign(new Error(`too many levels of symbolic links from ${file}`), {
    code: 'ELOOP',
  });
}

/** Whether a failed rename is Windows saying "in use right now", which a retry gets past. */
export function isTransientRenameError(error: unknown, platform = process.platform): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      if (!isTransientRenameError(error) || attempt >= RENAME_TRIES) throw error;
      // A real pause of a few ms (Windows lets go of the file), not time a test would advance.
      await pause(RENAME_RETRY_MS * attempt);
    }
  }
}

/** Makes the rename itself durable. Not possible on every platform (Windows): best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The data is written and renamed; only durability across a power cut is less certain.
  }
}
