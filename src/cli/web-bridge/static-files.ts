// Serves the built settings window (dist/renderer) read-only: no listing, nothing outside it.
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The file a URL path names inside `root`, or null when it would leave it. */
export function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = path.posix.normalize(decoded === '/' ? '/index.html' : decoded);
  const file = path.join(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

export async function serveStatic(
  res: ServerResponse,
  root: string,
  urlPath: string,
  head: boolean,
): Promise<void> {
  const file = fileFor(root, urlPath);
  if (!file || !(await isFile(file))) {
    const missingWindow = urlPath === '/' || urlPath === '/index.html';
    res.writeHead(missingWindow ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      missingWindow
        ? `the settings window is not built (no ${path.join(root, 'index.html')}): run npm run build\n`
        : 'not found\n',
    );
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
  });
  res.end(head ? undefined : body);
}
