// The files a finished prompt produced, from its history entry (or its `executed` messages):
// every entry with a filename under images, gifs, videos or audio that is not a temp preview,
// the one that fits the job's kind fetched through /view, and turned into the job's format —
// images with sharp; video and audio only when they already are in it, since the worker has no
// video or audio encoder.
import type { TaskKind } from '../../../shared/snapshot.js';
import type { Task } from '../../task/task.js';
import type { EngineResult } from '../engine.js';
import { MAX_IMAGE_BYTES, type ServerClient } from '../remote/http.js';
import { checkImage, imageResult } from '../remote/image-bytes.js';
import { loadSharp } from '../synthetic/sharp.js';
import { viewFile, type OutputFile } from './api.js';
import { EngineJobError } from '../engine.js';

/** The lists ComfyUI's save nodes put files under (core nodes and VideoHelperSuite). */
const FILE_LISTS = ['images', 'gifs', 'videos', 'video', 'audio'] as const;
/** A video or a sound may be much larger than a picture, but not unbounded. */
export const MAX_MEDIA_BYTES = 512 * 1024 * 1024;

type MediaKind = 'image' | 'video' | 'audio';

const EXT_KIND: Record<string, MediaKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  webp: 'image',
  gif: 'image',
  bmp: 'image',
  tif: 'image',
  tiff: 'image',
  mp4: 'video',
  webm: 'video',
  mov: 'video',
  mkv: 'video',
  avi: 'video',
  flac: 'audio',
  wav: 'audio',
  mp3: 'audio',
  opus: 'audio',
  ogg: 'audio',
  m4a: 'audio',
};

/** Formats sharp writes, by the job's ext. */
const SHARP_FORMATS: Record<string, 'png' | 'jpeg' | 'webp' | 'gif' | 'avif' | 'tiff'> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  webp: 'webp',
  gif: 'gif',
  avif: 'avif',
  tif: 'tiff',
  tiff: 'tiff',
};

/** What a job wants: the media kind of the file to pick, and the ext to upload. */
function wanted(task: Task): { media: MediaKind; ext: string } {
  switch (task.kind) {
    case 'image':
      return { media: 'image', ext: task.ext.toLowerCase() };
    case 'video':
      return { media: 'video', ext: task.ext.toLowerCase() };
    case 'audio_tts':
      return { media: 'audio', ext: task.ext.toLowerCase() };
    default:
      throw new Error(`comfyui engine cannot serve ${task.kind} tasks`);
  }
}

export interface FoundFile extends OutputFile {
  /** The node that saved it. */
  node: string;
  ext: string;
  media: MediaKind;
  /** Animated images (SaveAnimatedWEBP, VHS gifs) count as video. */
  animated: boolean;
}

/** Every saved (not temp) file in a prompt's outputs, in node order. */
export function filesIn(outputs: Record<string, Record<string, unknown>>): FoundFile[] {
  const found: FoundFile[] = [];
  for (const [node, output] of Object.entries(outputs)) {
    const animatedFlags = Array.isArray(output.animated) ? output.animated : [];
    for (const list of FILE_LISTS) {
      const items = output[list];
      if (!Array.isArray(items)) continue;
      items.forEach((item: unknown, index) => {
        if (typeof item !== 'object' || item === null) return;
        const file = item as Record<string, unknown>;
        if (typeof file.filename !== 'string' || file.filename === '') return;
        if (file.type === 'temp') return;
        const ext = extOf(file.filename);
        const media = EXT_KIND[ext];
        if (media === undefined) return;
        const animated =
          list === 'gifs' || list === 'videos' || list === 'video' || animatedFlags[index] === true;
        found.push({
          node,
          filename: file.filename,
          ...(typeof file.subfolder === 'string' ? { subfolder: file.subfolder } : {}),
          ...(typeof file.type === 'string' ? { type: file.type } : {}),
          ext,
          media,
          animated,
        });
      });
    }
  }
  return found;
}

/** The file a job's result comes from, or undefined when the prompt saved none that fits. */
export function pickFile(files: readonly FoundFile[], kind: TaskKind): FoundFile | undefined {
  switch (kind) {
    case 'image':
      return (
        files.find((f) => f.media === 'image' && !f.animated) ??
        files.find((f) => f.media === 'image')
      );
    case 'video':
      return (
        files.find((f) => f.media === 'video') ??
        files.find((f) => f.media === 'image' && f.animated)
      );
    case 'audio_tts':
      return files.find((f) => f.media === 'audio');
    default:
      return undefined;
  }
}

/** Fetches the job's output and turns it into the job's format. */
export async function resultFrom(
  client: ServerClient,
  files: readonly FoundFile[],
  task: Task,
  signal: AbortSignal,
): Promise<EngineResult> {
  const want = wanted(task);
  const file = pickFile(files, task.kind);
  if (file === undefined) {
    const saved = files.map((f) => f.filename).join(', ') || 'no files';
    throw new EngineJobError(
      `comfyui engine: the prompt finished but saved no ${want.media} for this ${task.kind} job ` +
        `(saved: ${saved}) — the workflow needs a save node (SaveImage, a video or audio save node), ` +
        'not only a preview',
      { retryable: true },
    );
  }
  const max = want.media === 'image' ? MAX_IMAGE_BYTES : MAX_MEDIA_BYTES;
  const data = await viewFile(client, file, max, signal);
  const fail = (problem: string) =>
    new Error(`comfyui engine: ${file.filename} from node ${file.node} ${problem}`);
  if (want.media === 'image' || (file.media === 'image' && SHARP_FORMATS[want.ext] !== undefined)) {
    return imageAs(data, want.ext, file.animated, fail);
  }
  if (sameFormat(file.ext, want.ext)) return { type: 'bytes', ext: want.ext, data };
  throw new EngineJobError(
    `comfyui engine: the workflow saved ${file.filename} (${file.ext}) but the job asks for ` +
      `${want.ext}, and the worker cannot convert ${want.media === 'video' ? 'video' : 'audio'} — ` +
      `set the workflow's save node to write ${want.ext}`,
    { retryable: true },
  );
}

/** Image bytes checked whole, then re-encoded with sharp when the job asks another format. */
async function imageAs(
  data: Buffer,
  ext: string,
  animated: boolean,
  fail: (problem: string) => Error,
): Promise<EngineResult> {
  const result = imageResult(data, fail);
  if (result.type !== 'bytes') return result;
  const format = SHARP_FORMATS[ext];
  if (format === undefined) {
    throw new EngineJobError(
      `comfyui engine: the job asks for a ${ext} image, which the worker cannot write ` +
        `(it writes ${Object.keys(SHARP_FORMATS).join(', ')})`,
      { retryable: false },
    );
  }
  const have = checkImage(data);
  if (have.kind === 'image' && have.ext === format) return { type: 'bytes', ext, data };
  const sharp = await loadSharp();
  const converted = await sharp(data, { animated }).toFormat(format).toBuffer();
  return { type: 'bytes', ext, data: converted };
}

function sameFormat(a: string, b: string): boolean {
  const norm = (e: string) => (e === 'jpg' ? 'jpeg' : e === 'tif' ? 'tiff' : e);
  return norm(a) === norm(b);
}

function extOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}
