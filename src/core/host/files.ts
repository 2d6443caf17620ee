// The FileReader port: the few files the probes read (/proc, /sys). Missing or unreadable
// files are answered with null, never an exception: a probe then simply finds nothing.
import { readFile, readdir } from 'node:fs/promises';

export interface FileReader {
  /** The file's text, or null when it does not exist or cannot be read. */
  readText(path: string): Promise<string | null>;
  /** The entries of a directory, or null when it does not exist or cannot be read. */
  list(dir: string): Promise<string[] | null>;
}

export const nodeFileReader: FileReader = {
  readText: (path) => readFile(path, 'utf8').catch(() => null),
  list: (dir) => readdir(dir).catch(() => null),
};
