import { describe, expect, it } from 'vitest';
import { rememberMissing } from '../../../src/core/host/gpu-probe.js';
import type { ToolResult } from '../../../src/core/host/command.js';

describe('rememberMissing', () => {
  it('does not spawn a missing tool again until the memory runs out', async () => {
    let now = 0;
    let spawned = 0;
    let answer: ToolResult = { kind: 'missing' };
    const run = rememberMissing(
      async () => (spawned++, answer),
      60_000,
      () => now,
    );
    expect(await run('nvidia-smi', [], 1000)).toEqual({ kind: 'missing' });
    expect(await run('nvidia-smi', [], 1000)).toEqual({ kind: 'missing' });
    expect(spawned).toBe(1);
    now = 60_000;
    answer = { kind: 'ok', stdout: 'x' } as ToolResult;
    expect((await run('nvidia-smi', [], 1000)).kind).toBe('ok');
    expect(spawned).toBe(2);
  });

  it('keeps running tools that answer', async () => {
    let spawned = 0;
    const run = rememberMissing(
      async () => (spawned++, { kind: 'ok', stdout: '' } as ToolResult),
      60_000,
      () => 0,
    );
    await run('rocm-smi', [], 1000);
    await run('rocm-smi', [], 1000);
    expect(spawned).toBe(2);
  });
});
