// Bad input, thousands of times: whatever the studio answers, whatever the config file holds,
// whatever a window sends, the worker gives a clear error and never crashes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/toml.js';
import { ConfigError } from '../../src/core/config/errors.js';
import { parseCommand } from '../../src/core/control/commands.js';
import { createStudioClient } from '../../src/core/studio/client.js';
import { StudioError } from '../../src/core/studio/errors.js';
import { claimedJobSchema } from '../../src/core/task/task.js';
import { report } from '../chaos/report.js';

/** Any JSON value, including deep nesting, huge strings, unicode, negatives and odd numbers. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.string({ minLength: 10_000, maxLength: 30_000 }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** A claim body that is nearly right: the real fields, some of them wrong. */
const nearClaim = fc.record(
  {
    jobId: fc.oneof(fc.string({ maxLength: 300 }), json),
    gameId: fc.oneof(fc.string(), json),
    assetName: fc.oneof(fc.string(), json),
    model: fc.oneof(fc.constantFrom('synthetic-image', 'synthetic-llm'), json),
    vramGbEstimate: fc.oneof(fc.double(), fc.integer({ min: -5, max: 50 }), json),
    prompt: fc.oneof(fc.string({ maxLength: 100 }), json),
    task: fc.oneof(
      json,
      fc.record(
        {
          kind: fc.constantFrom('image', 'llm', 'audio_stt', 'audio_tts', 'video', 'x'),
          prompt: json,
          width: json,
          messages: json,
        },
        { requiredKeys: ['kind'] },
      ),
    ),
  },
  { requiredKeys: [] },
);

let counted = 0;
const RUNS = 2_000;

describe('fuzz: studio answers', () => {
  let server: http.Server;
  let body = '';
  let url = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('turns any claim body into a job or a StudioError, with the job id when one can be read', async () => {
    const client = createStudioClient({ baseUrl: url, timeoutMs: 2_000 });
    const creds = { workerId: 'w-1', authToken: 'token-123456' };
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearClaim, json), async (value) => {
        counted += 1;
        body = JSON.stringify(value) ?? '';
        try {
          const answer = await client.claim(creds);
          if (answer.kind === 'job') expect(claimedJobSchema.safeParse(value).success).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(StudioError);
          const e = error as StudioError;
          expect(e.kind).toBe('malformed');
          const id = (value as { jobId?: unknown } | null)?.jobId;
          if (typeof id === 'string' && id.length > 0 && id.length <= 256) expect(e.jobId).toBe(id);
        }
      }),
      { numRuns: 1_000, seed: 7 },
    );
  }, 120_000);

  it('turns any register body into credentials or a StudioError that never quotes the body', async () => {
    const client = createStudioClient({ baseUrl: url, timeoutMs: 2_000 });
    await fc.assert(
      fc.asyncProperty(json, async (value) => {
        counted += 1;
        body = JSON.stringify(value) ?? '';
        try {
          const creds = await client.register({
            bootstrapToken: 'boot-123456',
            capabilities: {} as never,
          });
          expect(typeof creds.authToken).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(StudioError);
          const maybeToken = (value as { authToken?: unknown } | null)?.authToken;
          if (typeof maybeToken === 'string' && maybeToken.length >= 8) {
            expect((error as Error).message).not.toContain(maybeToken);
          }
        }
      }),
      { numRuns: 500, seed: 8 },
    );
  }, 120_000);
});

describe('fuzz: config file', () => {
  it('parses any text into a config or a ConfigError naming the file', () => {
    const tomlish = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(
              'vram_threshold_gb',
              'api_base_url',
              'auto_enabled',
              'engine',
              'schedule.heartbeat_secs',
              'x',
              '[schedule]',
              'engines',
            ),
            fc.oneof(
              fc.double().map(String),
              fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
              fc.constantFrom('true', 'nan', '-1', '[', '{}', '"\u0000"'),
            ),
          ),
          { maxLength: 8 },
        )
        .map((lines) => lines.map(([k, v]) => (k.startsWith('[') ? k : `${k} = ${v}`)).join('\n')),
    );
    fc.assert(
      fc.property(tomlish, (text) => {
        counted += 1;
        try {
          parseConfig(text, '/fuzz/config.toml');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message.startsWith('/fuzz/config.toml')).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: 9 },
    );
  });
});

describe('fuzz: window commands', () => {
  it('accepts only well-formed commands and explains every refusal', async () => {
    fc.assert(
      fc.property(
        fc.oneof(
          json,
          fc.record({
            type: fc.constantFrom(
              'setEnabled',
              'setThreshold',
              'snooze',
              'saveSettings',
              'register',
            ),
            enabled: json,
            gb: json,
            minutes: json,
            settings: json,
          }),
        ),
        (payload) => {
          counted += 1;
          const parsed = parseCommand(payload);
          if (!parsed.ok) expect(parsed.error).toMatch(/^invalid command: /);
        },
      ),
      { numRuns: RUNS, seed: 10 },
    );
    await report('fuzz', { 'cases run': counted });
  });
});
