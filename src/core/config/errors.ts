// ConfigError: every problem with config.toml — unreadable, malformed TOML, an invalid value, or
// a change that would make it invalid — saying which file, line and key, and what to do.

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly filePath: string;
  /** 1-based line of the offending key or syntax error, when it could be located. */
  readonly line: number | undefined;
  /** Dotted key (`vram_threshold_gb`, `schedule.heartbeat_secs`), when one key is at fault. */
  readonly key: string | undefined;
  /** The message without the file and line, for showing beside a field in the window. */
  readonly detail: string;

  constructor(init: {
    filePath: string;
    /** What is wrong and, where it helps, what to do; the file and line are prefixed. */
    detail: string;
    line?: number;
    key?: string;
    cause?: unknown;
  }) {
    const where = init.line === undefined ? init.filePath : `${init.filePath} line ${init.line}`;
    super(`${where}: ${init.detail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.filePath = init.filePath;
    this.line = init.line;
    this.key = init.key;
    this.detail = init.detail;
  }
}
