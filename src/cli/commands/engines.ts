// `studio-worker engines`: the configured engines with their health and models;
// `engines detect [--add]` finds servers on this machine's usual ports (and adds them);
// `engines test [name]` runs one tiny job through each engine and reports time and result.
import { openCliConfig } from '../open-config.js';
import {
  configuredEngines,
  engineHealthOf,
  testEngine,
  type ConfiguredEngine,
} from '../../core/engine/detect/configured.js';
import { addDetectedEngines } from '../../core/engine/detect/add.js';
import {
  DEFAULT_DETECT_TIMEOUT_MS,
  detectEngines,
  detectPortsFromEnv,
  parseDetectPorts,
} from '../../core/engine/detect/detect.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../io.js';

/** A health check is one cheap question: a server that takes longer is as good as down. */
const HEALTH_TIMEOUT_MS = 5_000;
const DEFAULT_TEST_SECS = 120;
const MAX_TEST_SECS = 3_600;

export const enginesCommand: Command = {
  name: 'engines',
  usage: 'engines [detect [--add] [--port <server>=<port>]... | test [name] [--timeout <secs>]]',
  summary: 'list the engines (health, models), detect local servers, or test each engine',
  positionals: [0, 2],
  options: {
    add: { type: 'boolean' },
    port: { type: 'string', multiple: true },
    timeout: { type: 'string' },
  },
  async run(ctx) {
    const [action, name] = ctx.positionals;
    if (action === undefined) return list(ctx);
    if (action === 'detect' && name === undefined) return detect(ctx);
    if (action === 'test') return test(ctx, name);
    throw new UsageError(`usage: studio-worker ${enginesCommand.usage}`);
  },
};

function describe(entry: ConfiguredEngine): string {
  return `${entry.engine}${entry.detail ? ` (${entry.detail})` : ''} [${entry.where}]`;
}

async function list(ctx: CommandContext): Promise<number> {
  const store = await openCliConfig(ctx);
  const entries = configuredEngines(store.current(), store.path);
  if (entries.length === 0) {
    ctx.io.stdout(
      'no engines configured: engine = "multi" has no [[engines]] table — run `studio-worker engines detect --add`\n',
    );
    return 1;
  }
  const lines = await Promise.all(
    entries.map(async (entry) => {
      if (!entry.built.ok) return `${describe(entry)}\n  config error: ${entry.built.error}`;
      const health = await engineHealthOf(entry.built.engine, HEALTH_TIMEOUT_MS, ctx.stopSignal);
      const state = health.reachable ? 'answers' : `does not answer: ${health.error ?? 'unknown'}`;
      const models = health.models.length > 0 ? health.models.join(', ') : '(none)';
      return `${describe(entry)}\n  health: ${state}\n  models: ${models}`;
    }),
  );
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return entries.every((e) => e.built.ok) ? 0 : 1;
}

async function detect(ctx: CommandContext): Promise<number> {
  const raw = ctx.values.port as unknown;
  let ports;
  try {
    ports = {
      ...detectPortsFromEnv(ctx.io.env),
      ...parseDetectPorts(Array.isArray(raw) ? (raw as string[]) : []),
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const outcomes = await detectEngines({
    ports,
    timeoutMs: DEFAULT_DETECT_TIMEOUT_MS,
    signal: ctx.stopSignal,
  });
  const found = outcomes.flatMap((o) => (o.found ? [o.detected] : []));
  const lines = outcomes.map((o) =>
    o.found
      ? `found   ${o.detected.label} at ${o.detected.baseUrl} → engine = "${o.detected.table.engine}"\n` +
        `        models: ${o.detected.models.length > 0 ? o.detected.models.join(', ') : '(none listed)'}`
      : `none    ${o.server} on port ${o.port}`,
  );
  ctx.io.stdout(`${lines.join('\n')}\n`);
  if (!ctx.values.add) {
    if (found.length > 0) ctx.io.stdout('run `studio-worker engines detect --add` to use them\n');
    return 0;
  }
  if (found.length === 0) {
    ctx.io.stdout('nothing to add: no server answered\n');
    return 1;
  }
  const store = await openCliConfig(ctx, { quiet: true });
  let outcome: ReturnType<typeof addDetectedEngines> | undefined;
  await store.update((config) => {
    outcome = addDetectedEngines(config, found);
    return outcome.config;
  });
  for (const server of outcome?.added ?? [])
    ctx.io.stdout(`added   ${server.label} (${server.table.engine}, ${server.baseUrl})\n`);
  for (const server of outcome?.present ?? [])
    ctx.io.stdout(`kept    ${server.label} (${server.baseUrl}): already configured\n`);
  if (outcome?.engineChange) ctx.io.stdout(`${outcome.engineChange}\n`);
  ctx.io.stdout(`saved ${store.path}\n`);
  return 0;
}

async function test(ctx: CommandContext, name: string | undefined): Promise<number> {
  const secs = ctx.values.timeout === undefined ? DEFAULT_TEST_SECS : Number(ctx.values.timeout);
  if (!Number.isFinite(secs) || secs <= 0 || secs > MAX_TEST_SECS) {
    throw new UsageError(
      `--timeout must be seconds between 1 and ${MAX_TEST_SECS} (got ${JSON.stringify(ctx.values.timeout)})`,
    );
  }
  const store = await openCliConfig(ctx);
  const all = configuredEngines(store.current(), store.path);
  const chosen =
    name === undefined ? all : all.filter((e) => e.engine === name || e.where === name);
  if (chosen.length === 0) {
    throw new UsageError(
      `no configured engine is called ${JSON.stringify(name)} (configured: ${all.map(describe).join('; ')})`,
    );
  }
  let failures = 0;
  // One at a time: two tiny jobs at once on one GPU would measure each other.
  for (const entry of chosen) {
    if (!entry.built.ok) {
      failures += 1;
      ctx.io.stdout(`FAIL  ${describe(entry)}: config error: ${entry.built.error}\n`);
      continue;
    }
    const outcome = await testEngine(entry.built.engine, secs * 1000, ctx.stopSignal);
    const took = `${(outcome.ms / 1000).toFixed(1)} s`;
    const job = outcome.kind ? `${outcome.kind} on ${outcome.model}` : 'no job';
    if (outcome.ok)
      ctx.io.stdout(`ok    ${describe(entry)}: ${job} in ${took}: ${outcome.result}\n`);
    else {
      failures += 1;
      ctx.io.stdout(`FAIL  ${describe(entry)}: ${job} after ${took}: ${outcome.error}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}
