// Reading the deploy/ files in tests: their text, YAML documents (js-yaml, the parser
// electron-updater reads its feeds with, loaded through require) and which tools exist.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));

const yaml = createRequire(import.meta.url)('js-yaml') as {
  loadAll(text: string): unknown[];
};

export function deployText(file: string): string {
  return readFileSync(`${DEPLOY_DIR}${file}`, 'utf8');
}

/** Every YAML document of a text, as plain objects. */
export function yamlDocuments(text: string): Record<string, unknown>[] {
  return yaml.loadAll(text).filter((d): d is Record<string, unknown> => d !== null);
}

/** The absolute path of a program on PATH, or null. */
export function which(program: string): string | null {
  try {
    return execFileSync('which', [program], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
