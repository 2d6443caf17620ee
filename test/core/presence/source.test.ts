import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxOnBattery, linuxProcesses } from '../../../src/core/presence/source.js';

async function supplies(list: Record<string, Record<string, string>>) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'power-'));
  for (const [name, files] of Object.entries(list)) {
    await mkdir(path.join(root, name));
    for (const [file, text] of Object.entries(files))
      await writeFile(path.join(root, name, file), `${text}\n`);
  }
  return root;
}

describe('linux presence source', () => {
  it('says on battery when the mains supply is offline', async () => {
    const root = await supplies({
      AC: { type: 'Mains', online: '0' },
      BAT0: { type: 'Battery', status: 'Discharging' },
    });
    expect(await linuxOnBattery(root)).toBe(true);
  });

  it('says not on battery when a mains supply is online', async () => {
    expect(await linuxOnBattery(await supplies({ AC: { type: 'Mains', online: '1' } }))).toBe(
      false,
    );
  });

  it('does not know on a machine without a mains supply entry (a desktop or server)', async () => {
    expect(await linuxOnBattery(await supplies({}))).toBeNull();
    expect(await linuxOnBattery('/nonexistent/power_supply')).toBeNull();
  });

  it('lists running processes by name from /proc', async () => {
    const own = (await readFile(`/proc/${process.pid}/comm`, 'utf8')).trim();
    expect(await linuxProcesses()).toContain(own);
  });
});
