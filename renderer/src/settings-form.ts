// The settings form: text fields as typed, checked against the same rules the worker enforces
// (src/shared/settings-rules) for instant feedback, and turned into a SettingsPatch of only what
// changed. The worker checks again; its answer is shown beside the field it names.
import type { SettingsPatch } from '../../src/shared/bridge';
import type { SettingsView } from '../../src/shared/snapshot';
import { isHttpUrl, SETTING_BOUNDS } from '../../src/shared/settings-rules';
import { formatGb } from './units';

export interface SettingsForm {
  apiBaseUrl: string;
  vramThresholdGb: string;
  enabled: boolean;
  autoStart: boolean;
  autoUpdateEnabled: boolean;
  autoUpdateIntervalSecs: string;
  autoUpdatePrerelease: boolean;
  engine: string;
  jobTimeoutSecs: string;
}

export type FormKey = keyof SettingsForm;
export type FormErrors = Partial<Record<FormKey, string>>;

export const FORM_KEYS: readonly FormKey[] = [
  'apiBaseUrl',
  'enabled',
  'vramThresholdGb',
  'jobTimeoutSecs',
  'engine',
  'autoStart',
  'autoUpdateEnabled',
  'autoUpdateIntervalSecs',
  'autoUpdatePrerelease',
];

const NUMBER_KEYS = ['vramThresholdGb', 'autoUpdateIntervalSecs', 'jobTimeoutSecs'] as const;
type NumberKey = (typeof NUMBER_KEYS)[number];

const isNumberKey = (key: FormKey): key is NumberKey =>
  (NUMBER_KEYS as readonly string[]).includes(key);

export function formOf(view: SettingsView): SettingsForm {
  return {
    apiBaseUrl: view.apiBaseUrl,
    vramThresholdGb: String(view.vramThresholdGb),
    enabled: view.enabled,
    autoStart: view.autoStart,
    autoUpdateEnabled: view.autoUpdateEnabled,
    autoUpdateIntervalSecs: String(view.autoUpdateIntervalSecs),
    autoUpdatePrerelease: view.autoUpdatePrerelease,
    engine: view.engine,
    jobTimeoutSecs: String(view.jobTimeoutSecs),
  };
}

/** The number typed, or null when it is not one ("", "abc", "1e999"). */
export function parseNumber(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function numberError(key: NumberKey, text: string): string | undefined {
  const value = parseNumber(text);
  if (value === null) return 'enter a number';
  const bounds: { min: number; max?: number } = SETTING_BOUNDS[key];
  if (value < bounds.min) return `must be at least ${bounds.min}`;
  if (bounds.max !== undefined && value > bounds.max) return `must be at most ${bounds.max}`;
  return undefined;
}

export function validateForm(form: SettingsForm): FormErrors {
  const errors: FormErrors = {};
  if (!isHttpUrl(form.apiBaseUrl.trim()))
    errors.apiBaseUrl = 'must be an http:// or https:// URL, e.g. https://studio.example.com';
  if (form.engine.trim() === '') errors.engine = 'name an engine, e.g. synthetic';
  for (const key of NUMBER_KEYS) {
    const error = numberError(key, form[key]);
    if (error) errors[key] = error;
  }
  return errors;
}

/** A warning that does not block saving: a threshold above what this machine has. */
export function thresholdWarning(form: SettingsForm, detectedGb: number | null): string | null {
  const value = parseNumber(form.vramThresholdGb);
  if (detectedGb === null || value === null || value <= detectedGb) return null;
  return `above the detected VRAM (${formatGb(detectedGb)}): jobs that large cannot run here`;
}

function valueOf(form: SettingsForm, key: FormKey): SettingsPatch[keyof SettingsPatch] {
  if (isNumberKey(key)) return parseNumber(form[key]) ?? undefined;
  const value = form[key];
  return typeof value === 'string' ? value.trim() : value;
}

/** The fields whose value differs from the worker's (an unparsable number always does). */
export function changedKeys(form: SettingsForm, view: SettingsView): FormKey[] {
  return FORM_KEYS.filter((key) => {
    const value = valueOf(form, key);
    return value === undefined || value !== view[key];
  });
}

/** What to send: the changed fields, parsed. Call only with a form that validates. */
export function patchOf(form: SettingsForm, view: SettingsView): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const key of changedKeys(form, view)) patch[key] = valueOf(form, key);
  return patch as SettingsPatch;
}
