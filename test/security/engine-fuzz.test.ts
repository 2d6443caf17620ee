// Bad input from inference servers: whatever an OpenAI-compatible or A1111 server answers, the
// engine resolves with a result of the right shape or rejects with an Error that names the server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createA1111Engine } from '../../src/core/engine/a1111/index.js';
import { createOpenAiEngine } from '../../src/core/engine/openai/index.js';
import { report } from '../chaos/report.js';

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom('choices', 'images', 'message', 'content', 'error', 'usage', 'x'),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

const RUNS = 400;
let answer = { status: 200, body: '' };
let server: http.Server;
let url = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const body = fc.tuple(fc.constantFrom(200, 200, 200, 400, 404, 500), json);

describe('fuzz: engine responses', () => {
  it('openai: any chat answer becomes a JSON result or an Error naming the server', async () => {
    const engine = createOpenAiEngine({
      baseUrl: url,
      timeoutMs: 2_000,
      models: ['m'],
      apiKey: 'sk-fuzz-secret-123',
    });
    await fc.assert(
      fc.asyncProperty(body, async ([status, value]) => {
        answer = { status, body: JSON.stringify(value) ?? '' };
        try {
          const result = await engine.run(
            'm',
            {
              kind: 'llm',
              messages: [{ role: 'user', content: 'hi' }],
              max_tokens: 8,
              temperature: 0.7,
            },
            AbortSignal.timeout(5_000),
          );
          expect(result.type).toBe('json');
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toContain('openai');
          expect((error as Error).message).not.toContain('sk-fuzz-secret-123');
        }
      }),
      { numRuns: RUNS, seed: 11 },
    );
  }, 120_000);

  it('a1111: any txt2img answer becomes image bytes or an Error naming the server', async () => {
    const engine = createA1111Engine({ baseUrl: url, timeoutMs: 2_000, models: ['m'] });
    await fc.assert(
      fc.asyncProperty(body, async ([status, value]) => {
        answer = { status, body: JSON.stringify(value) ?? '' };
        try {
          const result = await engine.run(
            'm',
            { kind: 'image', prompt: 'p', width: 8, height: 8, steps: 1, seed: null, ext: 'png' },
            AbortSignal.timeout(5_000),
          );
          expect(result.type).toBe('bytes');
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toContain('a1111');
        }
      }),
      { numRuns: RUNS, seed: 12 },
    );
    await report('fuzz: engine responses', { 'cases run': RUNS * 2 });
  }, 120_000);
});
