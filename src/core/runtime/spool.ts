// The result spool: every finished result is written here before it is uploaded, and removed
// only once the studio has acknowledged it — so a crash or an outage never loses a result.
//
// Each entry is two files named by the job id (base64url, so any id is a safe file name):
// the data file `<id>.data` (bytes results only) and the metadata `<id>.json`. Both are written
// to a temp file, fsynced and renamed; the metadata goes last and is the commit marker. On
// start, temp files and data files without metadata are half-written leftovers and deleted.
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TASK_KINDS } from '../../shared/snapshot.js';

const metaSchema = z.object({
  jobId: z.string(),
  kind: z.enum(TASK_KINDS),
  model: z.string(),
  prompt: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  result: z.discriminatedUnion('type', [
    z.object({ type: z.literal('bytes'), ext: z.string(), size: z.number(), sha256: z.string() }),
    z.object({ type: z.literal('json'), value: z.unknown() }),
  ]),
});
export type SpoolEntry = z.infer<typeof metaSchema>;

export type SpoolInput = Omit<SpoolEntry, 'result'> & {
  result: { type: 'bytes'; ext: string; data: Uint8Array } | { type: 'json'; value: unknown };
};

export interface Spool {
  readonly dir: string;
  /** Creates the folder (0700) and deletes half-written leftovers; returns how many. */
  init(): Promise<number>;
  put(input: SpoolInput): Promise<SpoolEntry>;
  /** Committed entries, oldest first. */
  list(): Promise<SpoolEntry[]>;
  /** The data file of a bytes entry, after checking it is whole (size and sha256). */
  dataPath(entry: SpoolEntry): Promise<string>;
  remove(jobId: string): Promise<void>;
  stats(): Promise<{ count: number; bytes: number }>;
  /** Why a new result could not be kept right now (unwritable, disk nearly full), or null. */
  problem(minFreeBytes: number): Promise<string | null>;
}

export class SpoolCorruptError extends Error {
  override readonly name = 'SpoolCorruptError';
}

const TMP_SUFFIX = '.tmp';

function fileBase(jobId: string): string {
  return Buffer.from(jobId, 'utf8').toString('base64url');
}

async function writeDurably(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = file + TMP_SUFFIX;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    for await (const chunk of handle.createReadStream()) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export function createSpool(dir: string): Spool {
  const metaPath = (jobId: string) => path.join(dir, fileBase(jobId) + '.json');
  const dataFile = (jobId: string) => path.join(dir, fileBase(jobId) + '.data');

  /**
   * The committed entries, known after init() and kept in step by put() and remove(), so the
   * claim loop does not read the folder on every tick. Only this worker writes its spool.
   */
  let index: Map<string, SpoolEntry> | null = null;
  /** Data files written by this process: whole by construction, so only their size is checked. */
  const writtenHere = new Set<string>();

  async function entries(): Promise<SpoolEntry[]> {
    const all = index ? [...index.values()] : await readEntries();
    return all.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  }

  async function readEntries(): Promise<SpoolEntry[]> {
    // A missing or unreadable folder holds nothing; problem() is what reports it.
    const names = await readdir(dir).catch(() => [] as string[]);
    const entries: SpoolEntry[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const parsed = metaSchema.safeParse(
          JSON.parse(await readFile(path.join(dir, name), 'utf8')),
        );
        if (parsed.success) entries.push(parsed.data);
      } catch {
        // Unreadable metadata is treated like a missing one; init() removes it.
      }
    }
    return entries;
  }

  return {
    dir,
    async init() {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const names = await readdir(dir);
      const found = await readEntries();
      index = new Map(found.map((e) => [e.jobId, e]));
      const committed = new Set(found.map((e) => fileBase(e.jobId)));
      let removed = 0;
      for (const name of names) {
        const base = name.replace(/\.(json|data)$/, '');
        const leftover = name.endsWith(TMP_SUFFIX) || !committed.has(base);
        if (leftover) {
          await rm(path.join(dir, name), { force: true });
          removed += 1;
        }
      }
      return removed;
    },
    async put(input) {
      const { result, ...rest } = input;
      let entry: SpoolEntry;
      if (result.type === 'bytes') {
        await writeDurably(dataFile(input.jobId), result.data);
        const sha256 = createHash('sha256').update(result.data).digest('hex');
        entry = {
          ...rest,
          result: { type: 'bytes', ext: result.ext, size: result.data.byteLength, sha256 },
        };
      } else {
        entry = { ...rest, result };
      }
      await writeDurably(metaPath(input.jobId), JSON.stringify(entry));
      index?.set(entry.jobId, entry);
      if (result.type === 'bytes') writtenHere.add(entry.jobId);
      return entry;
    },
    list: entries,
    async dataPath(entry) {
      if (entry.result.type !== 'bytes')
        throw new Error(`spooled result of job ${entry.jobId} has no file`);
      const file = dataFile(entry.jobId);
      const info = await stat(file).catch(() => null);
      const whole =
        info !== null &&
        info.size === entry.result.size &&
        (writtenHere.has(entry.jobId) || (await sha256File(file)) === entry.result.sha256);
      if (!whole) {
        throw new SpoolCorruptError(
          `spooled result of job ${entry.jobId} is damaged (size or checksum differ)`,
        );
      }
      return file;
    },
    async remove(jobId) {
      // Metadata first: once it is gone the entry no longer exists, even if we stop here.
      await rm(metaPath(jobId), { force: true });
      index?.delete(jobId);
      writtenHere.delete(jobId);
      await rm(dataFile(jobId), { force: true });
    },
    async problem(minFreeBytes) {
      const probe = path.join(dir, '.write-probe');
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const handle = await open(probe, 'w', 0o600);
        try {
          await handle.writeFile('ok');
        } finally {
          await handle.close();
        }
        await rm(probe, { force: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        return `cannot write results to ${dir} (${code}) — free some disk space or fix spool_dir`;
      }
      const fs = await statfs(dir).catch(() => null);
      const free = fs ? fs.bavail * fs.bsize : Infinity;
      if (free < minFreeBytes) {
        return `disk nearly full: ${Math.round(free / 1_048_576)} MB free where results are kept (${dir})`;
      }
      return null;
    },
    async stats() {
      const all = await entries();
      const bytes = all.reduce(
        (sum, e) => sum + (e.result.type === 'bytes' ? e.result.size : 0),
        0,
      );
      return { count: all.length, bytes };
    },
  };
}
