// The result spool: every finished result is written here before it is uploaded, and removed
// only once the studio has acknowledged it — so a crash or an outage never loses a result.
//
// Each entry is two files named by the SHA-256 of the job id (64 hex digits, so a file name
// never depends on the id's length or characters; the id itself lives in the metadata): the
// data file `<hash>.data` (bytes results only) and the metadata `<hash>.json`. Both are written
// with writeFileAtomic (a uniquely named temp file, fsynced, renamed, the folder fsynced), the data
// first: the metadata is the commit marker, and it is not written before the data is on disk.
//
// The spool deletes only what it can prove it wrote: regular files with its own name pattern
// inside a folder that carries its marker file. A folder without the marker is taken only when
// it is empty, or when it holds nothing but an earlier version's spool (base64url names), which
// is adopted and renamed; any other non-empty folder is refused. Metadata that cannot be read is
// never deleted: it is reported to the studio when its job id is readable, then moved into
// `quarantine/`.
import { createHash } from 'node:crypto';
import {
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  statfs,
  unlink,
} from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TASK_KINDS } from '../../shared/snapshot.js';
import { atomicTempTarget, writeFileAtomic } from '../files/atomic-write.js';
import type { Logger } from './log.js';

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

/** What init() found and did, for the start-up log. */
export interface SpoolInitReport {
  /** Half-written files of an interrupted run (the spool's own names only), deleted. */
  discarded: number;
  /** An earlier version's spool folder was taken over (its entries renamed). */
  adopted: boolean;
  /** Metadata that could not be read and names no job: moved into quarantine/. */
  quarantined: string[];
  /** Job ids whose metadata is damaged but names them: reported failed by the next flush. */
  damaged: string[];
  /** Files that are not the spool's, left alone. */
  foreign: string[];
}

export interface Spool {
  readonly dir: string;
  /**
   * Takes the folder (creating it 0700 with its marker, or adopting an earlier version's spool),
   * deletes its own half-written leftovers and sets damaged metadata aside. Throws
   * SpoolFolderRefusedError for a folder that holds files that are not a spool's.
   */
  init(): Promise<SpoolInitReport>;
  put(input: SpoolInput): Promise<SpoolEntry>;
  /** Committed entries, oldest first (none while the folder is not the spool's). */
  list(): Promise<SpoolEntry[]>;
  /** The data file of a bytes entry, after checking it is whole (size and sha256). */
  dataPath(entry: SpoolEntry): Promise<string>;
  remove(jobId: string): Promise<void>;
  /** Job ids of damaged entries still to be reported failed; see quarantine(). */
  damaged(): string[];
  /** Moves a job's files into quarantine/ (never deleted); returns the folder. */
  quarantine(jobId: string): Promise<string>;
  stats(): Promise<{ count: number; bytes: number }>;
  /**
   * Why a new result could not be kept right now (not the spool's folder, unwritable, disk
   * nearly full), or null. Cheap enough to run before every claim: one probe write and statfs.
   */
  problem(minFreeBytes: number): Promise<string | null>;
}

export class SpoolCorruptError extends Error {
  override readonly name = 'SpoolCorruptError';
}

/** The folder holds files that are not a spool's: the spool will not touch it. */
export class SpoolFolderRefusedError extends Error {
  override readonly name = 'SpoolFolderRefusedError';
}

/** Written into a folder the spool owns; its presence is what lets the spool delete anything. */
export const SPOOL_MARKER = '.studio-worker-spool';
const MARKER_TEXT =
  'This folder holds Studio Worker results waiting for upload (spool format 2).\n' +
  'The worker deletes only its own files here; do not keep other files in it.\n';
export const QUARANTINE_DIR = 'quarantine';
/** The fixed temp suffix of earlier versions' writes; now temp files are writeFileAtomic's. */
const TMP_SUFFIX = '.tmp';
const PROBE = '.write-probe';

/** The spool's scratch files: the write probe and a marker cut off mid-write by a crash. */
function isScratch(name: string): boolean {
  return (
    name === PROBE || name === SPOOL_MARKER + TMP_SUFFIX || atomicTempTarget(name) === SPOOL_MARKER
  );
}
/** Files an OS drops into any folder; they neither make a folder foreign nor get deleted. */
const OS_CLUTTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

const HASH_NAME = /^([0-9a-f]{64})\.(json|data)(\.tmp)?$/;
/** How the previous version named entries: the base64url of the job id. */
const LEGACY_NAME = /^([A-Za-z0-9_-]+)\.(json|data)(\.tmp)?$/;

/** The fixed-length file name base of a job: the hex SHA-256 of its id. */
export function spoolFileBase(jobId: string): string {
  return createHash('sha256').update(jobId, 'utf8').digest('hex');
}

/** The job id an earlier version's file name stands for, when it is one. */
function legacyJobId(base: string): string | undefined {
  const id = Buffer.from(base, 'base64url').toString('utf8');
  return id !== '' && Buffer.from(id, 'utf8').toString('base64url') === base ? id : undefined;
}

type NameKind =
  | { kind: 'entry'; base: string; file: 'json' | 'data'; tmp: boolean; legacy: boolean }
  | { kind: 'other' };

function classify(name: string): NameKind {
  // A write of an entry file cut off by a crash: the temp file of `<hash>.json` or `<hash>.data`.
  const tempFor = atomicTempTarget(name);
  if (tempFor !== undefined) {
    const target = classify(tempFor);
    return target.kind === 'entry' && !target.tmp ? { ...target, tmp: true } : { kind: 'other' };
  }
  const hashed = HASH_NAME.exec(name);
  if (hashed) return entryName(hashed, false);
  const legacy = LEGACY_NAME.exec(name);
  if (legacy && legacyJobId(legacy[1]!) !== undefined) return entryName(legacy, true);
  return { kind: 'other' };
}

/** An entry's file from its name's match: [1] the base, [2] json or data, [3] a temp suffix. */
function entryName(match: RegExpExecArray, legacy: boolean) {
  return {
    kind: 'entry' as const,
    base: match[1]!,
    file: match[2] as 'json' | 'data',
    tmp: match[3] !== undefined,
    legacy,
  };
}

async function isRegularFile(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null))?.isFile() ?? false;
}

/** Deletes a file the spool created; a symlink or anything else planted there is left alone. */
async function removeOwnFile(file: string): Promise<boolean> {
  if (!(await isRegularFile(file))) return false;
  await unlink(file).catch(() => undefined);
  return true;
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

/**
 * The job ids a damaged metadata file may name: its `"jobId":"…"` pairs, read from the text so
 * a file cut off mid-write still tells. Only one that hashes back to the file's name counts.
 */
function jobIdsIn(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(/"jobId":("(?:[^"\\]|\\.)*")/g)) {
    try {
      const id: unknown = JSON.parse(match[1]!);
      if (typeof id === 'string') ids.push(id);
    } catch {
      // Not a whole JSON string: no id here.
    }
  }
  return ids;
}

/** One metadata file as read: a whole entry, or damaged with the job id when it can be proved. */
type ReadMeta = { kind: 'ok'; entry: SpoolEntry } | { kind: 'damaged'; jobId: string | undefined };

async function readMeta(file: string, base: string, legacy: boolean): Promise<ReadMeta> {
  const named = (jobId: string | undefined) =>
    jobId !== undefined && (legacy ? legacyJobId(base) === jobId : spoolFileBase(jobId) === base);
  const text = await readFile(file, 'utf8').catch(() => '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = metaSchema.safeParse(value);
  if (parsed.success && named(parsed.data.jobId)) return { kind: 'ok', entry: parsed.data };
  // A name proves the id only when the id hashes (or encodes) back to it.
  const proved = jobIdsIn(text).find(named);
  if (proved !== undefined) return { kind: 'damaged', jobId: proved };
  return { kind: 'damaged', jobId: legacy ? legacyJobId(base) : undefined };
}

function describeForeign(dir: string, foreign: string[]): string {
  const shown = foreign
    .slice(0, 3)
    .map((n) => JSON.stringify(n))
    .join(', ');
  const more = foreign.length > 3 ? ` and ${foreign.length - 3} more` : '';
  return (
    `spool_dir ${dir} already holds files that are not Studio Worker results (${shown}${more}); ` +
    'the worker keeps results only in a folder of its own and never deletes files it did not ' +
    'write — set spool_dir to a new or empty folder (or remove spool_dir to use the default ' +
    'next to the config)'
  );
}

// Long on purpose (over 120 lines): the Spool's methods share the folder's in-memory index and
// its one-at-a-time queue; the file-level steps they use are the functions above.
export function createSpool(dir: string): Spool {
  const metaPath = (jobId: string) => path.join(dir, spoolFileBase(jobId) + '.json');
  const dataFile = (jobId: string) => path.join(dir, spoolFileBase(jobId) + '.data');
  const marker = path.join(dir, SPOOL_MARKER);

  /**
   * The committed entries, known once init() has taken the folder and kept in step by put()
   * and remove(), so the claim loop does not read the folder on every tick. Only this worker
   * writes its spool. Null while the folder is not (yet) the spool's.
   */
  let index: Map<string, SpoolEntry> | null = null;
  /** Damaged entries still to be reported, by job id: their files, as found. */
  const damagedFiles = new Map<string, string[]>();
  /** Data files written by this process: whole by construction, so only their size is checked. */
  const writtenHere = new Set<string>();

  /**
   * Makes sure the folder is the spool's: marked already, or empty (marked now), or an earlier
   * version's spool (marked now, adopted). Returns whether it was adopted.
   */
  async function claimFolder(names: string[]): Promise<boolean> {
    if (names.includes(SPOOL_MARKER) && (await isRegularFile(marker))) return false;
    // Scratch files prove nothing either way; a regular one is cleaned up below.
    const candidates = names.filter((n) => !OS_CLUTTER.has(n) && !isScratch(n));
    const foreign: string[] = [];
    let proved = false;
    for (const name of candidates) {
      const file = path.join(dir, name);
      const kind = classify(name);
      // Names first: a refused folder (a home folder) is re-checked before every claim.
      if (kind.kind !== 'entry' || !kind.legacy || !(await isRegularFile(file))) {
        foreign.push(name);
        continue;
      }
      if (kind.file === 'json' && !kind.tmp) {
        proved ||= (await readMeta(file, kind.base, true)).kind === 'ok';
      }
    }
    // Names alone could be a coincidence: an earlier spool is proved by one entry that names
    // itself. An empty folder needs no proof.
    if (foreign.length > 0 || (candidates.length > 0 && !proved)) {
      throw new SpoolFolderRefusedError(
        describeForeign(dir, foreign.length ? foreign : candidates),
      );
    }
    await writeFileAtomic(marker, MARKER_TEXT);
    return candidates.length > 0;
  }

  async function moveToQuarantine(files: string[]): Promise<string> {
    const target = path.join(dir, QUARANTINE_DIR);
    await mkdir(target, { recursive: true, mode: 0o700 });
    for (const file of files) {
      let dest = path.join(target, path.basename(file));
      // Never overwrite an earlier quarantined file of the same job.
      if (await lstat(dest).catch(() => null)) dest += `.${Date.now()}`;
      await rename(file, dest).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    return target;
  }

  async function init(): Promise<SpoolInitReport> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const adopted = await claimFolder(await readdir(dir));
    const names = await readdir(dir);
    const report: SpoolInitReport = {
      discarded: 0,
      adopted,
      quarantined: [],
      damaged: [],
      foreign: [],
    };
    const entries = new Map<string, SpoolEntry>();
    damagedFiles.clear();
    const committed = new Set<string>();
    // Metadata first: it decides which data files belong to a committed (or damaged) entry.
    for (const name of names) {
      const kind = classify(name);
      if (kind.kind !== 'entry' || kind.file !== 'json' || kind.tmp) continue;
      const file = path.join(dir, name);
      if (!(await isRegularFile(file))) continue;
      const meta = await readMeta(file, kind.base, kind.legacy);
      const jobId = meta.kind === 'ok' ? meta.entry.jobId : meta.jobId;
      // An adoption cut off by a crash may have renamed the data file already.
      const dataNames = [`${kind.base}.data`];
      if (jobId !== undefined && kind.legacy) dataNames.push(`${spoolFileBase(jobId)}.data`);
      const data = dataNames.filter((n) => names.includes(n)).map((n) => path.join(dir, n));
      committed.add(kind.base);
      if (jobId !== undefined) committed.add(spoolFileBase(jobId));
      if (meta.kind === 'ok') {
        const entry = kind.legacy ? await migrate(meta.entry, file, data, report) : meta.entry;
        if (entry) entries.set(entry.jobId, entry);
      } else if (meta.jobId !== undefined) {
        damagedFiles.set(meta.jobId, [file, ...data]);
        report.damaged.push(meta.jobId);
      } else {
        await moveToQuarantine([file, ...data]);
        report.quarantined.push(name);
      }
    }
    for (const name of names) {
      if (name === SPOOL_MARKER || name === QUARANTINE_DIR || OS_CLUTTER.has(name)) continue;
      const kind = isScratch(name) ? null : classify(name);
      if (kind !== null && kind.kind === 'other') {
        report.foreign.push(name);
        continue;
      }
      // A leftover: a temp file, a probe, or a data file whose metadata was never written.
      const leftover =
        kind === null || kind.tmp || (kind.file === 'data' && !committed.has(kind.base));
      if (leftover && (await removeOwnFile(path.join(dir, name)))) report.discarded += 1;
    }
    index = entries;
    return report;
  }

  /** Renames an earlier version's entry to the current names (data first, metadata last). */
  async function migrate(
    entry: SpoolEntry,
    meta: string,
    data: string[],
    report: SpoolInitReport,
  ): Promise<SpoolEntry | null> {
    if (await lstat(metaPath(entry.jobId)).catch(() => null)) {
      // Both namings of one job: keep the current one, set the other aside.
      await moveToQuarantine([meta, ...data]);
      report.quarantined.push(path.basename(meta));
      return null;
    }
    const legacyData = data.find((file) => file !== dataFile(entry.jobId));
    if (legacyData !== undefined) await rename(legacyData, dataFile(entry.jobId));
    await rename(meta, metaPath(entry.jobId));
    return entry;
  }

  async function owned(): Promise<Map<string, SpoolEntry>> {
    if (!index) await init();
    return index!;
  }

  async function entries(): Promise<SpoolEntry[]> {
    const all = index ? [...index.values()] : [];
    return all.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  }

  async function probeWrite(): Promise<void> {
    const probe = path.join(dir, PROBE);
    try {
      const handle = await open(probe, 'w', 0o600);
      try {
        await handle.writeFile('ok');
      } finally {
        await handle.close();
      }
    } finally {
      // Written or not, the probe must not stay behind (a full disk leaves an empty one).
      await removeOwnFile(probe);
    }
  }

  return {
    dir,
    init,
    async put(input) {
      const known = await owned();
      const { result, ...rest } = input;
      let entry: SpoolEntry;
      try {
        if (result.type === 'bytes') {
          await writeFileAtomic(dataFile(input.jobId), result.data);
          const sha256 = createHash('sha256').update(result.data).digest('hex');
          entry = {
            ...rest,
            result: { type: 'bytes', ext: result.ext, size: result.data.byteLength, sha256 },
          };
        } else {
          entry = { ...rest, result };
        }
        await writeFileAtomic(metaPath(input.jobId), JSON.stringify(entry));
      } catch (error) {
        // Without its metadata the data file is no entry: take it back rather than leave it.
        if (result.type === 'bytes' && !known.has(input.jobId))
          await removeOwnFile(dataFile(input.jobId));
        throw error;
      }
      known.set(entry.jobId, entry);
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
      const known = await owned();
      // Metadata first: once it is gone the entry no longer exists, even if we stop here.
      await removeOwnFile(metaPath(jobId));
      known.delete(jobId);
      writtenHere.delete(jobId);
      await removeOwnFile(dataFile(jobId));
    },
    damaged() {
      return [...damagedFiles.keys()];
    },
    async quarantine(jobId) {
      const known = await owned();
      const files = damagedFiles.get(jobId) ?? [metaPath(jobId), dataFile(jobId)];
      // Metadata first, as in remove(): once it has moved, the entry no longer exists here.
      const target = await moveToQuarantine(files);
      damagedFiles.delete(jobId);
      known.delete(jobId);
      writtenHere.delete(jobId);
      return target;
    },
    async problem(minFreeBytes) {
      try {
        if (index && !(await stat(dir).catch(() => null))) index = null; // folder removed: take it anew
        await owned();
        await probeWrite();
      } catch (error) {
        if (error instanceof SpoolFolderRefusedError) return error.message;
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

/** Says in the log what init() found, so no file is set aside or left alone unexplained. */
export function logSpoolInit(
  log: Pick<Logger, 'info' | 'warn' | 'error'>,
  dir: string,
  report: SpoolInitReport,
): void {
  if (report.adopted) log.info('spool', `took over the spool folder of an earlier version: ${dir}`);
  if (report.discarded > 0) {
    log.warn(
      'spool',
      `discarded ${report.discarded} half-written spool file(s) from an interrupted run`,
    );
  }
  for (const name of report.quarantined) {
    log.error(
      'spool',
      `spooled result ${name} is unreadable and names no job: moved to ${path.join(dir, QUARANTINE_DIR)} (never deleted; inspect or remove it)`,
    );
  }
  for (const jobId of report.damaged) {
    log.error(
      'spool',
      'spooled result is unreadable: it will be reported failed and set aside',
      jobId,
    );
  }
  if (report.foreign.length > 0) {
    log.warn(
      'spool',
      `left ${report.foreign.length} file(s) in ${dir} alone that are not Studio Worker results (${report.foreign.slice(0, 3).join(', ')})`,
    );
  }
}
