// `studio-worker`: parse the command line, run one command, map failures to exit codes
// (0 ok, 1 runtime error, 2 usage error) with one clear line on stderr.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfigPath } from '../core/config/paths.js';
import { redactSecrets } from '../core/secrets/redact.js';
import type { Command, CommandContext } from './command.js';
import type { CliIo } from './io.js';
import { processIo, UsageError } from './io.js';
import { parseLogFormat } from './log-output.js';
import { appVersion } from './version.js';
import { errorMessage } from '../core/errors/message.js';

/**
 * Each command's module is loaded only when that command runs, so `status` or `enable` do not
 * pay for the studio, the engines or the web bridge at start.
 */
const COMMAND_LOADERS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  register: async () => (await import('./commands/register.js')).registerCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  enable: async () => (await import('./commands/settings.js')).enableCommand,
  disable: async () => (await import('./commands/settings.js')).disableCommand,
  'set-threshold': async () => (await import('./commands/settings.js')).setThresholdCommand,
  config: async () => (await import('./commands/settings.js')).configCommand,
  'check-update': async () => (await import('./commands/check-update.js')).checkUpdateCommand,
  'studio-sim': async () => (await import('./commands/studio-sim.js')).studioSimCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  engines: async () => (await import('./commands/engines.js')).enginesCommand,
};

/** Every command, in the order --help lists them. */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(Object.values(COMMAND_LOADERS).map((load) => load()));
}

const GLOBAL_OPTIONS = {
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  'log-format': { type: 'string' },
} as const;

export async function helpText(command?: Command): Promise<string> {
  if (command) return `usage: studio-worker ${command.usage}\n\n${command.summary}\n`;
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: studio-worker [--config <path>] [--log-format text|json] <command> [options]',
    '',
    "Turns this machine's GPU into a worker for a studio.",
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'global options:',
    '  --config <path>      config file (default: $STUDIO_WORKER_CONFIG or the platform config dir)',
    '  --log-format <fmt>   text (default) or json',
    '  -h, --help           show help (also `studio-worker <command> --help`)',
    '  -V, --version        print the version',
    '',
  ].join('\n');
}

/** Splits argv into the command and its parsed options; throws UsageError on any mistake. */
export async function parseCommandLine(argv: string[]) {
  const commandIndex = argv.findIndex(
    (arg, i) => !arg.startsWith('-') && !['--config', '--log-format'].includes(argv[i - 1] ?? ''),
  );
  const name = commandIndex >= 0 ? argv[commandIndex] : undefined;
  // hasOwn: a name like `constructor` must not find something on Object's prototype.
  const load =
    name !== undefined && Object.hasOwn(COMMAND_LOADERS, name) ? COMMAND_LOADERS[name] : undefined;
  if (name !== undefined && !load) {
    throw new UsageError(`unknown command: ${name} (run \`studio-worker --help\` for the list)`);
  }
  const command = load ? await load() : undefined;
  const rest =
    commandIndex >= 0 ? [...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)] : argv;
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command?.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(errorMessage(error).split('\n')[0] ?? 'invalid arguments');
  }
  const [min, max] = command?.positionals ?? [0, 0];
  if (
    command &&
    !parsed.values.help &&
    (parsed.positionals.length < min || parsed.positionals.length > max)
  ) {
    throw new UsageError(`usage: studio-worker ${command.usage}`);
  }
  const logFormat = parseLogFormat(parsed.values['log-format'] as string | undefined);
  if (!logFormat)
    throw new UsageError(
      `--log-format must be text or json (got ${String(parsed.values['log-format'])})`,
    );
  return {
    command,
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals,
    logFormat,
  };
}

/** Two-stage stop: the first SIGINT/SIGTERM asks for a graceful stop, the second forces it. */
function stopSignals() {
  const stop = new AbortController();
  const force = new AbortController();
  const onSignal = () => (stop.signal.aborted ? force.abort() : stop.abort());
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return { stop: stop.signal, force: force.signal, dispose };
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = await parseCommandLine(argv);
  } catch (error) {
    io.stderr(`studio-worker: ${errorMessage(error)}\n`);
    return 2;
  }
  const { command, values, positionals, logFormat } = parsed;
  if (values.version) {
    io.stdout(`${appVersion()}\n`);
    return 0;
  }
  if (values.help || !command) {
    io.stdout(await helpText(command));
    return command || values.help ? 0 : 2;
  }
  const configPath = path.resolve(
    resolveConfigPath({
      flag: values.config as string | undefined,
      env: io.env,
      platform: process.platform,
      home: io.env.HOME ?? io.env.USERPROFILE ?? os.homedir(),
    }),
  );
  const signals = stopSignals();
  const ctx: CommandContext = {
    io,
    configPath,
    logFormat,
    values,
    positionals,
    stopSignal: signals.stop,
    forceStopSignal: signals.force,
  };
  try {
    return await command.run(ctx);
  } catch (error) {
    const message = errorMessage(error);
    io.stderr(
      `studio-worker: ${redactSecrets(message.split('\n')[0] ?? message, secretsFromArgs(values))}\n`,
    );
    return error instanceof UsageError ? 2 : 1;
  } finally {
    signals.dispose();
  }
}

/** Secrets given on the command line must not come back in an error message either. */
function secretsFromArgs(values: Record<string, string | boolean | undefined>): string[] {
  const token = values['bootstrap-token'];
  return typeof token === 'string' ? [token] : [];
}
