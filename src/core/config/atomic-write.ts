// Writes a file so that readers only ever see the old or the new contents, never half of it:
// a temp file in the same folder (owner-only), flushed to disk, then renamed over the target.
// A target that is a symlink (a config kept with the user's dotfiles) stays a link: the write
// lands on the file it points at, renamed over it in that file's own folder.
import { randomBytes } from 'node:crypto';
import { open, readlink, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Windows refuses a rename while another process has the target open; that passes quickly. */
const RENAME_RETRIES = 5;
const RENAME_RETRY_MS = 20;

/** As the kernel's own limit on a chain of links (Linux's MAXSYMLINKS). */
const MAX_LINK_HOPS = 40;

export async function writeFileAtomic(file: string, contents: string, mode = 0o600): Promise<void> {
  const target = await symlinkTarget(file);
  const dir = path.dirname(target);
  const temp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // The umask narrows `mode` at creation; set it exactly.
      await handle.chmod(mode);
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
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

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const busy = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (!busy || process.platform !== 'win32' || attempt >= RENAME_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_MS * (attempt + 1)));
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
