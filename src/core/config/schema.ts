// The config file's public face: defaults, the schema and validation, TOML parse/serialize and
// redaction, for callers that want one import. Each piece lives in the module named for it.
export { ConfigError } from './errors.js';
export {
  CONFIG_KEYS,
  DEFAULT_CONFIG,
  DEFAULT_SCHEDULE,
  SCHEDULE_KEYS,
  defaultConfig,
} from './defaults.js';
export {
  applyConfigPatch,
  configPatchSchema,
  scheduleSchema,
  validateConfig,
  validateConfigPatch,
  workerConfigSchema,
  type ConfigPatch,
  type ConfigProblem,
  type Validated,
} from './validation.js';
export { parseConfig, serializeConfig, type ParsedConfig } from './toml.js';
export { REDACTED, redactConfig, redactExtra } from './redact.js';
