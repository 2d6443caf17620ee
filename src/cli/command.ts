// The shape of a CLI command and what it is handed when it runs.
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.js';
import type { LogFormat } from './log-output.js';

export interface CommandContext {
  io: CliIo;
  /** The resolved config path (--config, STUDIO_WORKER_CONFIG or the platform default). */
  configPath: string;
  logFormat: LogFormat;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Ends when the user asks the process to stop (SIGINT/SIGTERM); a second ask is `forceStop`. */
  stopSignal: AbortSignal;
  forceStopSignal: AbortSignal;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it takes: [min, max]. */
  positionals?: [number, number];
  run(ctx: CommandContext): Promise<number>;
}
