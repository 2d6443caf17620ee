// A FileReader over an in-memory tree: { '/proc/x/information': 'text' }. Directories are
// whatever paths the files imply.
import type { FileReader } from '../../../src/core/host/files.js';

export function fakeFiles(tree: Record<string, string> = {}): FileReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readText: async (path) => {
      reads.push(path);
      return tree[path] ?? null;
    },
    list: async (dir) => {
      reads.push(dir);
      const prefix = `${dir}/`;
      const names = Object.keys(tree)
        .filter((p) => p.startsWith(prefix))
        .map((p) => p.slice(prefix.length).split('/')[0] ?? '');
      return names.length > 0 ? [...new Set(names)] : null;
    },
  };
}
