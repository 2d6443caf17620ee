// `studio-worker engines`, `engines detect [--add]` and `engines test` in-process, against
// loopback stand-ins on random ports (Ollama and AUTOMATIC1111 answering with recorded answers,
// the ComfyUI stand-in) and closed ports for the servers that are not there.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/toml.js';
import { closedPort } from '../core/studio/loopback-server.js';
import { startDetectStandIns, type DetectStandIns } from '../core/engine/detect/standins.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/harness.js';

let dir: string;
let config: string;
let standIns: DetectStandIns;
beforeEach(async () => {
  dir = await tempDir();
  config = path.join(dir, 'config.toml');
  standIns = await startDetectStandIns();
});
afterEach(async () => {
  await standIns.close();
  await rm(dir, { recursive: true, force: true });
});

const engines = (...args: string[]) => runCli(['--config', config, 'engines', ...args]);

describe('studio-worker engines detect', () => {
  it('prints each server that answered with its models, and each port that did not', async () => {
    const r = await engines('detect', ...standIns.portArgs);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `found   Ollama at ${standIns.ollama.url} → engine = "openai"\n` +
        '        models: codellama:latest, gemma2:27b\n',
    );
    expect(r.stdout).toContain(
      `found   AUTOMATIC1111/Forge at ${standIns.a1111.url} → engine = "a1111"\n` +
        '        models: breakdomainrealistic_R2333, CounterfeitV30_v30\n',
    );
    expect(r.stdout).toContain(`models: ${standIns.comfy.checkpoints.join(', ')}`);
    expect(r.stdout).toContain(`none    vllm on port ${standIns.ports.vllm}\n`);
    expect(r.stdout).toContain('engines detect --add');
  });

  it('refuses a bad --port with exit code 2, naming it', async () => {
    const r = await engines('detect', '--port', 'comfyui=99999');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"comfyui=99999"');
  });

  it('--add writes the tables, switches to multi and keeps unknown keys', async () => {
    await writeFile(config, 'engine = "synthetic"\nmystery_key = "kept"\n', { mode: 0o600 });
    const r = await engines('detect', '--add', ...standIns.portArgs);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('engine changed from "synthetic" to "multi"');
    const parsed = parseConfig(await readFile(config, 'utf8'), config);
    expect(parsed.config.engine).toBe('multi');
    expect(parsed.config.engines).toEqual([
      { engine: 'comfyui', base_url: standIns.comfy.url },
      { engine: 'a1111', base_url: standIns.a1111.url },
      { engine: 'openai', base_url: standIns.ollama.url },
    ]);
    expect(parsed.extra).toMatchObject({ mystery_key: 'kept' });

    // A second run adds nothing.
    const again = await engines('detect', '--add', ...standIns.portArgs);
    expect(again.stdout).toContain('already configured');
    expect(parseConfig(await readFile(config, 'utf8'), config).config.engines).toHaveLength(3);
  });

  it('--add with nothing found writes nothing and exits 1', async () => {
    const closed = ['comfyui', 'a1111', 'ollama', 'llamacpp', 'lmstudio', 'vllm'];
    const args: string[] = [];
    for (const name of closed) args.push('--port', `${name}=${await closedPort()}`);
    await writeFile(config, 'engine = "synthetic"\n', { mode: 0o600 });
    const r = await engines('detect', '--add', ...args);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nothing to add');
    expect(await readFile(config, 'utf8')).toBe('engine = "synthetic"\n');
  });
});

describe('studio-worker engines (list)', () => {
  it('shows each configured engine with its health and models', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    await writeFile(
      config,
      [
        'engine = "multi"',
        '[[engines]]',
        'engine = "openai"',
        `base_url = "${standIns.ollama.url}"`,
        '[[engines]]',
        'engine = "a1111"',
        `base_url = "${down}"`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const r = await engines();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `openai (${standIns.ollama.url}) [engines[0]]\n  health: answers\n  models: codellama:latest, gemma2:27b\n`,
    );
    expect(r.stdout).toMatch(
      new RegExp(`a1111 \\(${down}\\) \\[engines\\[1\\]\\]\\n  health: does not answer: .*refused`),
    );
  });

  it('names a table with a config error and exits 1, still listing the others', async () => {
    await writeFile(
      config,
      'engine = "multi"\n[[engines]]\nengine = "openai"\nbogus = 1\n[[engines]]\nengine = "synthetic"\n',
      { mode: 0o600 },
    );
    const r = await engines();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('openai [engines[0]]\n  config error: ');
    expect(r.stdout).toContain('bogus');
    expect(r.stdout).toContain('synthetic [engines[1]]\n  health: answers');
  });
});

describe('studio-worker engines test', () => {
  it('runs a tiny job through each engine and reports time and result', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    await writeFile(
      config,
      `engine = "multi"\n[[engines]]\nengine = "openai"\nbase_url = "${standIns.ollama.url}"\n` +
        `[[engines]]\nengine = "openai"\nbase_url = "${down}"\n`,
      { mode: 0o600 },
    );
    const r = await engines('test', '--timeout', '20');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^ok {4}openai \(http:\/\/127\.0\.0\.1:\d+\) \[engines\[0\]\]: llm on codellama:latest in \d+\.\d s: Hello$/m,
    );
    expect(r.stdout).toMatch(/^FAIL {2}openai \(.*\) \[engines\[1\]\]: no job after .*refused/m);
    const request = standIns.ollama.received.find((q) => q.url === '/v1/chat/completions');
    const body = JSON.parse(request?.body.toString('utf8') ?? '{}') as { max_tokens?: number };
    expect(body.max_tokens).toBe(8);
  });

  it('tests only the engine named, and says which exist for an unknown name', async () => {
    await writeFile(
      config,
      `engine = "openai"\n[[engines]]\nengine = "openai"\nbase_url = "${standIns.ollama.url}"\n`,
      { mode: 0o600 },
    );
    const ok = await engines('test', 'openai');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('[engine]: llm on codellama:latest');
    const unknown = await engines('test', 'comfyui');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no configured engine is called "comfyui"');
  });

  it.each(['0', '-5', 'NaN', '99999'])('refuses --timeout %s', async (value) => {
    const r = await engines('test', `--timeout=${value}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout must be seconds');
  });
});
