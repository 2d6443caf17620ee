// The app's version, read once from package.json (the single place it is written).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function appVersion(): string {
  if (cached === undefined) {
    const pkgUrl = new URL('../../package.json', import.meta.url);
    cached = (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;
  }
  return cached;
}
