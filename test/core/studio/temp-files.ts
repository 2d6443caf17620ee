// Result files for upload tests, in one temporary folder per test that `cleanup` removes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempFiles {
  /** Writes `content` to a new file named `name` and returns its path. */
  file(name: string, content?: string | Buffer): Promise<string>;
  cleanup(): Promise<void>;
}

export function tempFiles(prefix: string): TempFiles {
  let dir: string | undefined;
  return {
    async file(name, content = '') {
      dir ??= await mkdtemp(join(tmpdir(), prefix));
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}
