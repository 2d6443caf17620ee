import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LICENCES } from '../../renderer/src/licences';

async function installedLicence(name: string): Promise<string | undefined> {
  const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  const pkg = JSON.parse(await readFile(file, 'utf8')) as {
    license?: string;
    licenses?: { type: string }[];
  };
  return pkg.license ?? pkg.licenses?.[0]?.type;
}

describe('the licences shown on the About page', () => {
  it.each(LICENCES.map((l) => [l.name, l.licence]))(
    'names %s with the licence its package declares (%s)',
    async (name, licence) => {
      expect(await installedLicence(name)).toBe(licence);
    },
  );
});
