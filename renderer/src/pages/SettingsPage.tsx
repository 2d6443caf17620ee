// Settings: every setting the window may change, checked as it is typed, saved together (only
// what changed) with the worker's answer shown — beside the field it names when it refuses one.
// Registration has its own form: a new bootstrap token → Register; Reset asks first.
import type { FormEvent, InputHTMLAttributes } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { SettingsView } from '../../../src/shared/snapshot';
import { SETTING_BOUNDS } from '../../../src/shared/settings-rules';
import { ResultMessage } from '../components/CommandButton';
import { EnginesSection } from '../components/EnginesSection';
import { Field } from '../components/Field';
import type { FormErrors, FormKey, SettingsForm } from '../settings-form';
import {
  changedKeys,
  FORM_KEYS,
  formOf,
  parseNumber,
  patchOf,
  thresholdWarning,
  validateForm,
} from '../settings-form';
import { useSettingsView, useSnapshot, useWorker } from '../store';
import { formatGb } from '../units';
import { useCommand } from '../use-command';

const FIELD_IDS: Record<FormKey, string> = {
  apiBaseUrl: 'setting-api-base-url',
  vramThresholdGb: 'setting-vram-threshold',
  enabled: 'setting-enabled',
  autoStart: 'setting-auto-start',
  autoUpdateEnabled: 'setting-auto-update',
  autoUpdateIntervalSecs: 'setting-auto-update-interval',
  autoUpdatePrerelease: 'setting-auto-update-prerelease',
  engine: 'setting-engine',
  jobTimeoutSecs: 'setting-job-timeout',
};

const TEXT_INPUT = { type: 'text', spellCheck: false } as const;
const INTERVAL = SETTING_BOUNDS.autoUpdateIntervalSecs;
const JOB_TIMEOUT = SETTING_BOUNDS.jobTimeoutSecs;

/** Slider range where no VRAM was detected. */
const UNKNOWN_VRAM_SLIDER_MAX = 48;

/** The form as shown: the worker's values overlaid with what the user typed. */
function useSettingsForm(view: SettingsView) {
  const edits = useWorker((s) => s.settingsEdits);
  const setEdits = useWorker((s) => s.setSettingsEdits);
  const form: SettingsForm = { ...formOf(view), ...edits };
  const changed = changedKeys(form, view);
  // When the worker's settings change (a save, or the CLI), edits that now match are done.
  // `view` is the same object until a setting changes (useSettingsView), not one per snapshot.
  useEffect(() => {
    setEdits((current) => {
      const still = changedKeys({ ...formOf(view), ...current }, view);
      const kept = Object.fromEntries(
        Object.entries(current).filter(([k]) => still.includes(k as FormKey)),
      );
      return Object.keys(kept).length === Object.keys(current).length ? current : kept;
    });
  }, [view, setEdits]);
  const edit = <K extends FormKey>(key: K, value: SettingsForm[K]) =>
    setEdits((current) => ({ ...current, [key]: value }));
  return { form, changed, edit, discard: () => setEdits(() => ({})) };
}

export function SettingsPage() {
  const s = useSnapshot();
  const view = useSettingsView();
  const { form, changed, edit, discard } = useSettingsForm(view);
  const save = useCommand();
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [refused, setRefused] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // Instant feedback for what the user changed; everything else came from the worker.
  const allErrors = validateForm(form);
  const errorOf = (key: FormKey) =>
    serverErrors[key] ?? (changed.includes(key) ? allErrors[key] : undefined);
  const detectedGb = s.vramTotalGb > 0 ? s.vramTotalGb : null;
  const threshold = parseNumber(form.vramThresholdGb);
  const sliderMax = detectedGb ?? Math.max(UNKNOWN_VRAM_SLIDER_MAX, Math.ceil(threshold ?? 0));

  const change = <K extends FormKey>(key: K, value: SettingsForm[K]) => {
    edit(key, value);
    save.clear();
    setRefused(null);
    if (serverErrors[key]) setServerErrors(({ [key]: _, ...rest }) => rest);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (changed.length === 0) return; // Enter in an unchanged form
    const invalid = FORM_KEYS.filter((k) => allErrors[k]);
    if (invalid.length > 0) {
      setRefused(
        `Not saved: fix ${invalid.length === 1 ? 'the field' : 'the fields'} marked below.`,
      );
      formRef.current?.querySelector<HTMLElement>(`#${FIELD_IDS[invalid[0]!]}`)?.focus();
      return;
    }
    setRefused(null);
    const result = await save.run({ type: 'saveSettings', settings: patchOf(form, view) });
    if (!result.ok && result.field) setServerErrors({ [result.field]: result.error });
  };

  /** A labelled input for a setting typed as text (numbers too: the form keeps what was typed). */
  const typed = (
    key: 'apiBaseUrl' | 'engine' | 'autoUpdateIntervalSecs' | 'jobTimeoutSecs',
    label: string,
    hint: string,
    input: InputHTMLAttributes<HTMLInputElement>,
  ) => (
    <Field
      id={FIELD_IDS[key]}
      label={label}
      hint={hint}
      error={errorOf(key)}
      dirty={changed.includes(key)}
    >
      {(aria) => (
        <input
          {...aria}
          {...input}
          value={form[key]}
          onChange={(e) => change(key, e.currentTarget.value)}
        />
      )}
    </Field>
  );
  const check = (
    key: 'enabled' | 'autoStart' | 'autoUpdateEnabled' | 'autoUpdatePrerelease',
    label: string,
  ) => (
    <div className="field check">
      <input
        id={FIELD_IDS[key]}
        type="checkbox"
        checked={form[key]}
        onChange={(e) => change(key, e.currentTarget.checked)}
      />
      <label htmlFor={FIELD_IDS[key]}>
        {label}
        {changed.includes(key) ? <span className="dirty-mark"> (changed)</span> : null}
      </label>
    </div>
  );

  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      <form ref={formRef} noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Settings">
        <section className="card" aria-labelledby="settings-studio">
          <h2 id="settings-studio">Studio</h2>
          {typed('apiBaseUrl', 'Studio API URL', 'Where the worker asks for jobs.', TEXT_INPUT)}
        </section>

        <section className="card" aria-labelledby="settings-jobs">
          <h2 id="settings-jobs">Jobs</h2>
          {check('enabled', 'Take jobs (claiming enabled)')}
          <Field
            id={FIELD_IDS.vramThresholdGb}
            label="VRAM threshold (GB)"
            hint={
              detectedGb !== null
                ? `The largest job this worker accepts. Detected VRAM: ${formatGb(detectedGb)}.`
                : 'The largest job this worker accepts. No VRAM detected on this machine.'
            }
            error={errorOf('vramThresholdGb')}
            warning={thresholdWarning(form, detectedGb)}
            dirty={changed.includes('vramThresholdGb')}
          >
            {(aria) => (
              <div className="threshold">
                <input
                  type="range"
                  aria-label="VRAM threshold slider (GB)"
                  min={0}
                  max={sliderMax}
                  step={0.5}
                  value={Math.min(sliderMax, Math.max(0, threshold ?? 0))}
                  onChange={(e) => change('vramThresholdGb', e.currentTarget.value)}
                />
                <input
                  {...aria}
                  type="number"
                  inputMode="decimal"
                  min={0}
                  step={0.5}
                  value={form.vramThresholdGb}
                  onChange={(e) => change('vramThresholdGb', e.currentTarget.value)}
                />
              </div>
            )}
          </Field>
          {typed(
            'jobTimeoutSecs',
            'Job timeout (seconds)',
            `A job running longer than this is stopped and reported as failed. From ${JOB_TIMEOUT.min} to ${JOB_TIMEOUT.max}.`,
            { type: 'number', inputMode: 'numeric', min: JOB_TIMEOUT.min, max: JOB_TIMEOUT.max },
          )}
        </section>

        <EnginesSection canPickFiles={window.studioWorker !== undefined} />

        <section className="card" aria-labelledby="settings-startup">
          <h2 id="settings-startup">Startup and updates</h2>
          {check('autoStart', 'Start at login')}
          {check('autoUpdateEnabled', 'Install updates automatically')}
          {typed(
            'autoUpdateIntervalSecs',
            'Update check interval (seconds)',
            `From ${INTERVAL.min} to ${INTERVAL.max}.`,
            { type: 'number', inputMode: 'numeric', min: INTERVAL.min, max: INTERVAL.max },
          )}
          {check('autoUpdatePrerelease', 'Include prereleases')}
        </section>

        <div className="save-bar" role="region" aria-label="Save settings">
          <span className={changed.length > 0 ? 'unsaved' : 'muted'} data-testid="dirty-state">
            {changed.length > 0 ? `Unsaved changes: ${changed.length}` : 'All changes saved'}
          </span>
          <button
            type="submit"
            className="primary"
            aria-busy={save.pending}
            disabled={changed.length === 0}
          >
            Save
          </button>
          <button
            type="button"
            onClick={() => {
              discard();
              setServerErrors({});
              setRefused(null);
            }}
            disabled={changed.length === 0}
          >
            Discard
          </button>
          <ResultMessage result={refused ? { ok: false, error: refused } : save.result} />
        </div>
      </form>
      <RegistrationCard
        form={form}
        apiUrlChanged={changed.includes('apiBaseUrl')}
        apiUrlError={allErrors.apiBaseUrl}
      />
    </>
  );
}

function RegistrationCard(props: {
  form: SettingsForm;
  apiUrlChanged: boolean;
  apiUrlError: string | undefined;
}) {
  const s = useSnapshot();
  const register = useCommand();
  const reset = useCommand();
  const [token, setToken] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  const reg = s.registration;
  const state =
    reg.kind === 'registered'
      ? `Registered as worker ${reg.workerId}.`
      : reg.kind === 'credentials-rejected'
        ? `Credentials rejected: ${reg.message}`
        : reg.kind === 'registering'
          ? 'Registering…'
          : 'Not registered.';

  const onRegister = async (event: FormEvent) => {
    event.preventDefault();
    if (props.apiUrlChanged && props.apiUrlError) {
      setRefused(`Not registered: the studio API URL ${props.apiUrlError}.`);
      return;
    }
    setRefused(null);
    const result = await register.run({
      type: 'register',
      ...(token.trim() ? { bootstrapToken: token.trim() } : {}),
      ...(props.apiUrlChanged ? { apiBaseUrl: props.form.apiBaseUrl.trim() } : {}),
    });
    if (result.ok) setToken('');
  };

  return (
    <section className="card" aria-labelledby="settings-registration">
      <h2 id="settings-registration">Registration</h2>
      <p data-testid="registration-state">{state}</p>
      <form onSubmit={(e) => void onRegister(e)} aria-label="Register">
        <Field
          id="setting-bootstrap-token"
          label="Bootstrap token"
          hint={
            s.settings.hasBootstrapToken
              ? 'A token is saved. Enter one only to replace it; it is never shown again.'
              : 'No token saved yet: ask the studio admin for one.'
          }
        >
          {(aria) => (
            <input
              {...aria}
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" aria-busy={register.pending}>
            Register
          </button>
          <ResultMessage result={refused ? { ok: false, error: refused } : register.result} />
        </div>
      </form>
      <div className="actions">
        {confirming ? (
          <div className="confirm" role="group" aria-labelledby="reset-question">
            <p id="reset-question">
              Reset registration? The worker forgets its id and token and takes no jobs until it
              registers again.
            </p>
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirming(false);
                void reset.run({ type: 'resetRegistration' });
              }}
            >
              Yes, reset registration
            </button>
            <button type="button" ref={cancelRef} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Reset registration…
          </button>
        )}
        <ResultMessage result={reset.result} />
      </div>
    </section>
  );
}
