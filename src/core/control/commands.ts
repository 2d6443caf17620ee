// Commands from the window (Electron IPC or the web bridge): one schema that every payload must
// pass, and one place that applies them to the worker and the config file.
import { z } from 'zod';
import type { CommandResult, SettingsPatch, WorkerCommand } from '../../shared/bridge.js';
import { ConfigError } from '../config/errors.js';
import type { WorkerConfig } from '../config/types.js';
import { restoreUrlCredentials } from '../secrets/redact.js';
import { formatCheckOutcome } from '../runtime/format.js';
import { errorMessage } from '../errors/message.js';
import type { Worker } from '../runtime/worker.js';
import { applyEngineCommand, type EngineCommandHost } from './engine-commands.js';

const MAX_URL = 2_048;
const MAX_TOKEN = 4_096;

const settingsPatchSchema = z.strictObject({
  apiBaseUrl: z.string().min(1).max(MAX_URL).optional(),
  bootstrapToken: z.string().min(1).max(MAX_TOKEN).optional(),
  vramThresholdGb: z.number().finite().optional(),
  enabled: z.boolean().optional(),
  autoStart: z.boolean().optional(),
  autoUpdateEnabled: z.boolean().optional(),
  autoUpdateIntervalSecs: z.number().finite().optional(),
  autoUpdatePrerelease: z.boolean().optional(),
  engine: z.string().min(1).max(100).optional(),
  jobTimeoutSecs: z.number().finite().optional(),
});

export const workerCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setEnabled'), enabled: z.boolean() }),
  z.strictObject({ type: z.literal('setThreshold'), gb: z.number().finite() }),
  z.strictObject({
    type: z.literal('snooze'),
    minutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
  }),
  z.strictObject({ type: z.literal('saveSettings'), settings: settingsPatchSchema }),
  z.strictObject({
    type: z.literal('register'),
    bootstrapToken: z.string().min(1).max(MAX_TOKEN).optional(),
    apiBaseUrl: z.string().min(1).max(MAX_URL).optional(),
  }),
  z.strictObject({ type: z.literal('resetRegistration') }),
  z.strictObject({ type: z.literal('checkForUpdates') }),
  z.strictObject({ type: z.literal('installUpdate') }),
  z.strictObject({ type: z.literal('openLogsFolder') }),
  z.strictObject({ type: z.literal('quitAfterCurrentJob') }),
  z.strictObject({ type: z.literal('listEngines') }),
  z.strictObject({ type: z.literal('detectEngines') }),
  z.strictObject({
    type: z.literal('addDetectedEngine'),
    server: z.string().min(1).max(32),
    port: z.number().int().min(1).max(65_535),
  }),
  z.strictObject({
    type: z.literal('addLlamaModel'),
    path: z
      .string()
      .min(1)
      .max(4_096)
      .regex(/^[^\0\r\n]*$/, { error: 'must be one line without NUL characters' }),
  }),
  z.strictObject({ type: z.literal('pickModelFile') }),
  z.strictObject({ type: z.literal('testEngine'), where: z.string().min(1).max(32) }),
]);

/** Checks an untrusted payload; the error says what is wrong without echoing the payload. */
export function parseCommand(
  payload: unknown,
): { ok: true; command: WorkerCommand } | { ok: false; error: string } {
  const parsed = workerCommandSchema.safeParse(payload);
  if (parsed.success) return { ok: true, command: parsed.data as WorkerCommand };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'command';
  return { ok: false, error: `invalid command: ${where}: ${issue?.message ?? 'not a command'}` };
}

/** Settings keys as the window names them → config keys. */
const SETTING_KEYS: Record<keyof SettingsPatch, keyof WorkerConfig> = {
  apiBaseUrl: 'api_base_url',
  bootstrapToken: 'bootstrap_token',
  vramThresholdGb: 'vram_threshold_gb',
  enabled: 'auto_enabled',
  autoStart: 'auto_start',
  autoUpdateEnabled: 'auto_update_enabled',
  autoUpdateIntervalSecs: 'auto_update_interval_secs',
  autoUpdatePrerelease: 'auto_update_prerelease',
  engine: 'engine',
  jobTimeoutSecs: 'job_timeout_secs',
};

/** Settings the running worker cannot take over without a restart. */
const NEEDS_RESTART: (keyof SettingsPatch)[] = ['engine'];

function fieldOf(configKey: string | undefined): keyof SettingsPatch | undefined {
  return (Object.keys(SETTING_KEYS) as (keyof SettingsPatch)[]).find(
    (k) => SETTING_KEYS[k] === configKey,
  );
}

/**
 * The window is shown the URL with its credentials redacted; an edit that keeps them redacted
 * keeps the ones in the config.
 */
function keptCredentials<T>(apiBaseUrl: T, current: WorkerConfig): T {
  return typeof apiBaseUrl === 'string'
    ? (restoreUrlCredentials(apiBaseUrl, current.api_base_url) as T)
    : apiBaseUrl;
}

/** What the host (desktop app or headless CLI) can do beyond the worker itself. */
export interface CommandHost extends EngineCommandHost {
  openLogsFolder?: () => Promise<void>;
  installUpdate?: () => Promise<void>;
  quitAfterCurrentJob?: () => Promise<void>;
}

async function saveConfig(
  worker: Worker,
  change: (c: WorkerConfig) => WorkerConfig,
): Promise<CommandResult> {
  try {
    await worker.configStore.update(change);
    return { ok: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      const field = fieldOf(error.key);
      return { ok: false, error: error.detail, ...(field ? { field } : {}) };
    }
    return { ok: false, error: worker.log.redact(errorMessage(error)) };
  }
}

function hostAction(
  action: (() => Promise<void>) | undefined,
  what: string,
): Promise<CommandResult> {
  if (!action) return Promise.resolve({ ok: false, error: `${what} is not available here` });
  return action().then(
    () => ({ ok: true }) as const,
    (error: unknown) => ({ ok: false, error: errorMessage(error) }) as const,
  );
}

export async function applyCommand(
  worker: Worker,
  host: CommandHost,
  command: WorkerCommand,
): Promise<CommandResult> {
  switch (command.type) {
    case 'setEnabled':
      return saveConfig(worker, (c) => ({ ...c, auto_enabled: command.enabled }));
    case 'setThreshold':
      return saveConfig(worker, (c) => ({ ...c, vram_threshold_gb: command.gb }));
    case 'snooze':
      worker.snooze(command.minutes);
      return { ok: true };
    case 'saveSettings': {
      const entries = Object.entries(command.settings) as [keyof SettingsPatch, unknown][];
      const saved = await saveConfig(worker, (c) => {
        const next: Record<string, unknown> = { ...c };
        for (const [key, value] of entries) next[SETTING_KEYS[key]] = value;
        next.api_base_url = keptCredentials(next.api_base_url, c);
        return next as unknown as WorkerConfig;
      });
      if (!saved.ok) return saved;
      const restart = entries.map(([k]) => k).filter((k) => NEEDS_RESTART.includes(k));
      return restart.length > 0
        ? { ok: true, message: `saved; ${restart.join(', ')} takes effect after a restart` }
        : { ok: true, message: 'saved' };
    }
    case 'register': {
      if (command.apiBaseUrl !== undefined || command.bootstrapToken !== undefined) {
        const saved = await saveConfig(worker, (c) => ({
          ...c,
          ...(command.apiBaseUrl !== undefined
            ? { api_base_url: keptCredentials(command.apiBaseUrl, c) }
            : {}),
          ...(command.bootstrapToken !== undefined
            ? { bootstrap_token: command.bootstrapToken }
            : {}),
        }));
        if (!saved.ok) return saved;
      }
      try {
        const creds = await worker.register({ reset: true });
        return { ok: true, message: `registered as worker ${creds.workerId}` };
      } catch (error) {
        return { ok: false, error: worker.log.redact(errorMessage(error)) };
      }
    }
    case 'resetRegistration':
      return saveConfig(worker, (c) => ({ ...c, worker_id: null, auth_token: null }));
    case 'checkForUpdates': {
      const decision = await worker.checkForUpdates();
      if (!decision) return { ok: false, error: 'no update source is configured' };
      const message = formatCheckOutcome(decision);
      return decision.kind === 'check-error' || decision.kind === 'update-error'
        ? { ok: false, error: message }
        : { ok: true, message };
    }
    case 'installUpdate':
      return hostAction(host.installUpdate, 'installing updates');
    case 'openLogsFolder':
      return hostAction(host.openLogsFolder, 'opening the logs folder');
    case 'quitAfterCurrentJob':
      return hostAction(host.quitAfterCurrentJob, 'quitting after the current job');
    case 'listEngines':
    case 'detectEngines':
    case 'addDetectedEngine':
    case 'addLlamaModel':
    case 'pickModelFile':
    case 'testEngine':
      return applyEngineCommand(worker, host, command);
  }
}
