// Content types: the protocol's table for result files, and a short one for update files.
import { extname } from 'node:path';

/** What the sim accepts as a result extension: it becomes part of a file name. */
export const EXT_PATTERN = /^[A-Za-z0-9]{1,16}$/;

const RESULT_TYPES: Record<string, string> = {
  png: 'image/png',
  webp: 'image/webp',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/** The content type PROTOCOL.md prescribes for a result file's extension. */
export function resultContentType(ext: string): string {
  return RESULT_TYPES[ext.toLowerCase()] ?? 'application/octet-stream';
}

const STATIC_TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type for a file served from the updates folder. */
export function staticContentType(fileName: string): string {
  return STATIC_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}
