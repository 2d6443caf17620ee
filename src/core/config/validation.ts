// The one zod schema per shape of the worker's settings (a whole config, a [schedule] table, a
// patch from the settings window) and the messages a person sees when a value is wrong
// (`vram_threshold_gb must be >= 0 (got -1)`). The TOML file, `update` results and IPC patches
// are all checked here.
import { z } from 'zod';
import { isHttpUrl, SETTING_BOUNDS } from '../../shared/settings-rules.js';
import { isLoopbackUrl } from '../net/loopback.js';
import { parseListenAddress } from '../net/listen-address.js';
import { DURATION_BOUNDS, SCHEDULE_BOUNDS, type Range } from './bounds.js';
import { parseWindow } from '../presence/schedule.js';
import { redactUrlCredentials } from '../secrets/redact.js';
import { JOB_LIMIT_KEYS, type JobLimitKey } from '../task/limits.js';
import type { WorkerConfig } from './types.js';

export { isHttpUrl };

/** How a rejected value is shown in a message: strings quoted, long values cut. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString();
  const text =
    JSON.stringify(typeof value === 'string' ? redactUrlCredentials(value) : value) ??
    String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Secrets are never echoed, not even when they have the wrong type. */
function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'a table' : `a ${typeof value}`;
}

type IssueInput = { input?: unknown };

const got = (iss: IssueInput) => `(got ${describeValue(iss.input)})`;

function numberAtLeast(min: number) {
  return z
    .number({ error: (iss) => `must be a number ${got(iss)}` })
    .gte(min, { error: (iss) => `must be >= ${min} ${got(iss)}` });
}

/** A duration: inside its range, whose ends the message names. */
function numberIn({ min, max }: Range) {
  return z
    .number({ error: (iss) => `must be a number ${got(iss)}` })
    .gte(min, { error: (iss) => `must be from ${min} to ${max} ${got(iss)}` })
    .lte(max, { error: (iss) => `must be from ${min} to ${max} ${got(iss)}` });
}

function wholeNumberBetween(min: number, max: number) {
  return z
    .number({ error: (iss) => `must be a number ${got(iss)}` })
    .int({ error: (iss) => `must be a whole number ${got(iss)}` })
    .gte(min, { error: (iss) => `must be from ${min} to ${max} ${got(iss)}` })
    .lte(max, { error: (iss) => `must be from ${min} to ${max} ${got(iss)}` });
}

/** The job limits' keys (max_prompt_chars, …), each bounded as JOB_LIMIT_KEYS says. */
function jobLimitShape() {
  const shape = {} as Record<JobLimitKey, ReturnType<typeof wholeNumberBetween>>;
  for (const [key, rule] of Object.entries(JOB_LIMIT_KEYS) as [
    JobLimitKey,
    { min: number; max: number },
  ][]) {
    shape[key] = wholeNumberBetween(rule.min, rule.max);
  }
  return shape;
}

const flag = z.boolean({ error: (iss) => `must be true or false ${got(iss)}` });

const text = z.string({ error: (iss) => `must be a string ${got(iss)}` });

/** Optional strings: TOML has no null, so "none" is written by leaving the key out. */
const optionalText = z
  .string({ error: (iss) => `must be a string, or left out for none ${got(iss)}` })
  .nullable();

const secretText = z.string({
  error: (iss) => `must be a string (got ${describeType(iss.input)})`,
});

const optionalSecretText = z
  .string({
    error: (iss) => `must be a string, or left out for none (got ${describeType(iss.input)})`,
  })
  .nullable();

const httpUrl = text.refine(isHttpUrl, {
  error: (iss) => `must be an http:// or https:// URL ${got(iss)}`,
});

const optionalHttpUrl = z
  .string({
    error: (iss) => `must be an http:// or https:// URL, or left out for none ${got(iss)}`,
  })
  .refine(isHttpUrl, { error: (iss) => `must be an http:// or https:// URL ${got(iss)}` })
  .nullable();

const unknownKeysError = (iss: { code?: string; keys?: string[]; input?: unknown }) =>
  iss.code === 'unrecognized_keys'
    ? `has no setting named ${(iss.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}`
    : `must be a table ${got(iss)}`;

export const scheduleSchema = z.strictObject(
  {
    heartbeat_secs: numberIn(SCHEDULE_BOUNDS.heartbeat_secs),
    claim_after_job_secs: numberIn(SCHEDULE_BOUNDS.claim_after_job_secs),
    claim_idle_secs: numberIn(SCHEDULE_BOUNDS.claim_idle_secs),
    log_flush_secs: numberIn(SCHEDULE_BOUNDS.log_flush_secs),
    auto_update_tick_secs: numberIn(SCHEDULE_BOUNDS.auto_update_tick_secs),
    backoff_max_secs: numberIn(SCHEDULE_BOUNDS.backoff_max_secs),
  },
  { error: unknownKeysError },
);

const configShape = {
  api_base_url: httpUrl,
  bootstrap_token: secretText,
  worker_id: optionalText,
  auth_token: optionalSecretText,
  vram_threshold_gb: numberAtLeast(SETTING_BOUNDS.vramThresholdGb.min),
  vram_safety_margin_gb: numberAtLeast(0),
  vram_min_free_gb: numberAtLeast(0),
  auto_start: flag,
  auto_enabled: flag,
  engine: text.min(1, { error: 'must name an engine, e.g. "synthetic" (got "")' }),
  engines: z.array(
    z.record(z.string(), z.unknown(), { error: (iss) => `must be a table ${got(iss)}` }),
    {
      error: (iss) => `must be a list of tables, one [[engines]] section each ${got(iss)}`,
    },
  ),
  supported_models_override: z.array(text, {
    error: (iss) => `must be a list of model ids ${got(iss)}`,
  }),
  auto_update_enabled: flag,
  auto_update_interval_secs: numberIn(DURATION_BOUNDS.auto_update_interval_secs),
  auto_update_feed: optionalHttpUrl,
  auto_update_prerelease: flag,
  models_root: optionalText,
  job_timeout_secs: numberIn(DURATION_BOUNDS.job_timeout_secs),
  request_timeout_secs: numberIn(DURATION_BOUNDS.request_timeout_secs),
  shutdown_grace_secs: numberIn(DURATION_BOUNDS.shutdown_grace_secs),
  spool_dir: optionalText,
  notifications: flag,
  log_level: z.enum(['info', 'warn', 'error'], {
    error: (iss) => `must be "info", "warn" or "error" ${got(iss)}`,
  }),
  sentry_dsn: optionalHttpUrl,
  allow_insecure_http: flag,
  idle_minutes: numberIn(DURATION_BOUNDS.idle_minutes),
  pause_on_battery: flag,
  allowed_hours: z.array(
    text.refine(isWeeklyWindow, {
      error: (iss) => `entries must look like "mon-fri 18:00-08:00" ${got(iss)}`,
    }),
    { error: (iss) => `must be a list of windows like "mon-fri 18:00-08:00" ${got(iss)}` },
  ),
  pause_when_running: z.array(text, {
    error: (iss) => `must be a list of program names ${got(iss)}`,
  }),
  presence_hold_secs: numberIn(DURATION_BOUNDS.presence_hold_secs),
  metrics_listen: z
    .string({ error: (iss) => `must be "host:port", or left out for none ${got(iss)}` })
    .refine((value) => parseListenAddress(value).kind === 'ok', {
      error: (iss) => `must be "host:port" with a port from 0 to 65535 ${got(iss)}`,
    })
    .nullable(),
  state_dir: optionalText,
  ...jobLimitShape(),
  schedule: scheduleSchema,
};

function isWeeklyWindow(value: string): boolean {
  try {
    parseWindow(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Tokens travel in every request, so the studio must be reached over https — unless it runs on
 * this machine, or the user says otherwise with allow_insecure_http. Release feeds: https or
 * this machine only (an update is code that will run here).
 */
function transportRule(
  config: {
    api_base_url?: string;
    auto_update_feed?: string | null;
    allow_insecure_http?: boolean;
  },
  ctx: z.RefinementCtx,
): void {
  const insecure = (url: string | null | undefined) =>
    typeof url === 'string' && isHttpUrl(url) && url.startsWith('http:') && !isLoopbackUrl(url);
  if (insecure(config.api_base_url) && !config.allow_insecure_http) {
    ctx.addIssue({
      code: 'custom',
      path: ['api_base_url'],
      message: `must use https:// unless the studio runs on this machine (got ${JSON.stringify(redactUrlCredentials(config.api_base_url ?? ''))}) — or set allow_insecure_http = true`,
    });
  }
  if (insecure(config.auto_update_feed)) {
    ctx.addIssue({
      code: 'custom',
      path: ['auto_update_feed'],
      message: `must use https:// unless the feed is on this machine (got ${JSON.stringify(redactUrlCredentials(config.auto_update_feed ?? ''))})`,
    });
  }
}

/** A whole, valid config. */
export const workerConfigSchema = z
  .strictObject(configShape, { error: unknownKeysError })
  .superRefine(transportRule);

/** A change to some settings (e.g. from the settings window); [schedule] may be partial too. */
export const configPatchSchema = z
  .strictObject({ ...configShape, schedule: scheduleSchema.partial() }, { error: unknownKeysError })
  .partial();

export type ConfigPatch = z.infer<typeof configPatchSchema>;

/** What is wrong with a value: the dotted key at fault and a message that names it. */
export interface ConfigProblem {
  key: string | undefined;
  message: string;
}

export type Validated<T> =
  { kind: 'valid'; value: T } | { kind: 'invalid'; problem: ConfigProblem };

/** Checks a whole config; the first problem found is reported. */
export function validateConfig(value: unknown): Validated<WorkerConfig> {
  return validateWith(workerConfigSchema, value);
}

/** Checks a patch with the same per-key rules as a whole config. */
export function validateConfigPatch(value: unknown): Validated<ConfigPatch> {
  return validateWith(configPatchSchema, value);
}

/** The config with a (validated) patch applied; [schedule] is merged key by key. */
export function applyConfigPatch(config: WorkerConfig, patch: ConfigPatch): WorkerConfig {
  const { schedule, ...rest } = patch;
  return { ...config, ...rest, schedule: { ...config.schedule, ...schedule } };
}

function validateWith<T>(schema: z.ZodType<T>, value: unknown): Validated<T> {
  const result = schema.safeParse(value);
  if (result.success) return { kind: 'valid', value: result.data };
  const issue = result.error.issues[0];
  if (issue === undefined)
    return { kind: 'invalid', problem: { key: undefined, message: 'is invalid' } };
  return { kind: 'invalid', problem: problemOf(issue) };
}

function problemOf(issue: z.core.$ZodIssue): ConfigProblem {
  // Inside free-form tables (engines) the key is the table's own key: `engines.0`.
  const key = issue.path.length === 0 ? undefined : issue.path.map(String).join('.');
  return { key, message: `${key ?? 'the config'} ${issue.message}` };
}
