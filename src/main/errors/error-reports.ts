// Error reports (Sentry): on only when a DSN is configured ($SENTRY_DSN, else sentry_dsn in the
// config), and every report scrubbed of the worker's secrets before it leaves the machine.
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../core/config/toml.js';
import type { WorkerConfig } from '../../core/config/types.js';
import { REDACTED, redactorFor, type Redactor } from '../../core/secrets/redact.js';
import type { SentryPort } from '../ports.js';

export const SENTRY_DSN_ENV = 'SENTRY_DSN';

/** Header and field names whose values are credentials whatever they contain. */
const SECRET_FIELD =
  /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|password|api[_-]?key/i;
/** `max_tokens` and the like are counts, not credentials. */
const COUNT_FIELD = /tokens$/i;

function isSecretField(key: string): boolean {
  return SECRET_FIELD.test(key) && !COUNT_FIELD.test(key);
}

/** The DSN to report to, or null (reports off). */
export function sentryDsnFor(
  env: Readonly<Record<string, string | undefined>>,
  config: Pick<WorkerConfig, 'sentry_dsn'>,
): string | null {
  const fromEnv = env[SENTRY_DSN_ENV]?.trim();
  return fromEnv || config.sentry_dsn || null;
}

/**
 * The DSN, read synchronously: @sentry/electron must be initialised before Electron's `ready`,
 * which fires as soon as start-up first awaits anything. A missing or malformed config gives the
 * environment's DSN only (the config's problem is reported once the app is up).
 */
export function sentryDsnAtStart(
  env: Readonly<Record<string, string | undefined>>,
  configPath: string,
): string | null {
  let fromFile: string | null = null;
  try {
    fromFile = parseConfig(readFileSync(configPath, 'utf8'), configPath).config.sentry_dsn;
  } catch {
    fromFile = null;
  }
  return sentryDsnFor(env, { sentry_dsn: fromFile });
}

/**
 * Sentry's beforeSend: a copy of the event with every known secret replaced in every string
 * (messages, exception values, breadcrumbs, request data, extras), and credential-named fields
 * (Authorization, cookies, tokens) blanked whatever their value.
 */
export function scrubEvent<E extends object>(event: E, redact: Redactor): E {
  return scrub(event, redact, new Set()) as E;
}

/** `ancestors`: the objects above this one, so a cycle ends instead of recursing forever. */
function scrub(value: unknown, redact: Redactor, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[circular]';
  ancestors.add(value);
  let copy: unknown;
  if (Array.isArray(value)) {
    copy = value.map((item) => scrub(item, redact, ancestors));
  } else {
    const fields: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const blank =
        isSecretField(key) && item !== null && item !== undefined && typeof item !== 'object';
      fields[key] = blank ? REDACTED : scrub(item, redact, ancestors);
    }
    copy = fields;
  }
  ancestors.delete(value);
  return copy;
}

/**
 * Starts error reporting when a DSN is configured; returns whether it did. `secrets` is read for
 * each report, so a token saved later is scrubbed too.
 */
export function startErrorReports(opts: {
  sentry: SentryPort;
  dsn: string | null;
  release: string;
  packaged: boolean;
  secrets: () => Iterable<string | null | undefined>;
}): boolean {
  if (!opts.dsn) return false;
  opts.sentry.init({
    dsn: opts.dsn,
    release: `studio-worker@${opts.release}`,
    environment: opts.packaged ? 'production' : 'development',
    beforeSend: (event) =>
      scrubEvent(event, redactorFor([...opts.secrets()].map((s) => s ?? undefined))),
  });
  return true;
}
