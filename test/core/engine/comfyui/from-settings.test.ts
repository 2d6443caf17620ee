// engine = "comfyui" from config.toml: workflow files read and checked once, relative to the
// config's folder; a file without {{prompt}} is a config error naming the file.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEngine } from '../../../../src/core/engine/build.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'comfy-settings-'));
  await mkdir(path.join(dir, 'workflows'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const GOOD = {
  '6': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}', clip: ['4', 1] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0] } },
};

function build(table: Record<string, unknown>) {
  return buildEngine('comfyui', { engines: [{ engine: 'comfyui', ...table }], configDir: dir });
}

describe('comfyui engine from config.toml', () => {
  it('reads a workflow relative to the config folder and advertises its id for its kinds', async () => {
    await writeFile(path.join(dir, 'workflows/sdxl-api.json'), JSON.stringify(GOOD));
    await writeFile(path.join(dir, 'workflows/wan.json'), JSON.stringify(GOOD));
    const engine = build({
      workflows: {
        'sdxl-1.0': 'workflows/sdxl-api.json',
        'wan-2.1': { file: 'workflows/wan.json', kinds: ['video'] },
      },
    });
    expect(engine.name).toBe('comfyui');
    expect(engine.capabilities()).toEqual({ image: ['sdxl-1.0'], video: ['wan-2.1'] });
  });

  it('refuses a workflow without {{prompt}}, naming the file', async () => {
    const file = path.join(dir, 'workflows/no-prompt.json');
    await writeFile(
      file,
      JSON.stringify({ '6': { class_type: 'CLIPTextEncode', inputs: { text: 'fixed' } } }),
    );
    expect(() => build({ workflows: { m: 'workflows/no-prompt.json' } })).toThrow(
      `engines[0].workflows.m: the workflow ${file} has no "{{prompt}}"`,
    );
  });

  it('refuses the UI format, a file that is not JSON and one that is missing', async () => {
    await writeFile(path.join(dir, 'workflows/ui.json'), JSON.stringify({ nodes: [], links: [] }));
    await writeFile(path.join(dir, 'workflows/bad.json'), '{ nope');
    expect(() => build({ workflows: { m: 'workflows/ui.json' } })).toThrow(
      /is the UI format — export it with "Export \(API\)"/,
    );
    expect(() => build({ workflows: { m: 'workflows/bad.json' } })).toThrow(
      /bad\.json is not JSON/,
    );
    expect(() => build({ workflows: { m: 'workflows/gone.json' } })).toThrow(
      /cannot read the workflow .*gone\.json \(ENOENT\)/,
    );
  });

  it('refuses a video kind without a video workflow, and bad numbers', () => {
    expect(() => build({ kinds: ['video'] })).toThrow(
      /cannot serve video tasks — add a video workflow/,
    );
    expect(() => build({ stall_secs: 0 })).toThrow(/engines\[0\]\.stall_secs/);
    expect(() => build({ stall_secs: Number.NaN })).toThrow(/engines\[0\]\.stall_secs/);
    expect(() => build({ base_url: 'http://10.0.0.5:8188' })).toThrow(/allow_remote = true/);
  });
});
