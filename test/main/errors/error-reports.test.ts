import { describe, expect, it } from 'vitest';
import { redactorFor } from '../../../src/core/secrets/redact.js';
import {
  scrubEvent,
  sentryDsnFor,
  startErrorReports,
} from '../../../src/main/errors/error-reports.js';
import { FakeSentry } from '../fakes.js';

const TOKEN = 'sw_auth_4f9a8b7c6d5e';
const BOOTSTRAP = 'bootstrap-77aa';

describe('sentryDsnFor', () => {
  it('takes $SENTRY_DSN first, then sentry_dsn, else none', () => {
    expect(sentryDsnFor({ SENTRY_DSN: 'https://a@x/1' }, { sentry_dsn: 'https://b@x/2' })).toBe(
      'https://a@x/1',
    );
    expect(sentryDsnFor({ SENTRY_DSN: '  ' }, { sentry_dsn: 'https://b@x/2' })).toBe(
      'https://b@x/2',
    );
    expect(sentryDsnFor({}, { sentry_dsn: null })).toBeNull();
  });
});

describe('scrubEvent (beforeSend)', () => {
  const redact = redactorFor([TOKEN, BOOTSTRAP]);

  it('replaces the secrets in every string of the event', () => {
    const event = {
      message: `heartbeat failed: 401 for Bearer ${TOKEN}`,
      exception: {
        values: [{ type: 'StudioError', value: `register refused ${BOOTSTRAP}`, stacktrace: {} }],
      },
      breadcrumbs: [{ message: `POST with ${encodeURIComponent(TOKEN)}` }],
      extra: { lines: [`token=${TOKEN}`], nested: { deeper: TOKEN } },
      level: 'error',
      timestamp: 1_700_000_000,
    };
    const scrubbed = scrubEvent(event, redact);
    const text = JSON.stringify(scrubbed);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(BOOTSTRAP);
    expect(scrubbed.message).toBe('heartbeat failed: 401 for Bearer <redacted>');
    expect(scrubbed.level).toBe('error');
    expect(scrubbed.timestamp).toBe(1_700_000_000);
    // The original is left as it was.
    expect(event.message).toContain(TOKEN);
  });

  it('blanks credential headers and fields whatever their value, but not token counts', () => {
    const scrubbed = scrubEvent(
      {
        request: {
          headers: { Authorization: 'Bearer unknown-to-us', Cookie: 'sid=1', Accept: '*/*' },
        },
        extra: { api_key: 'sk-zzz', max_tokens: 512, password: 'hunter2' },
      },
      redact,
    );
    expect(scrubbed.request.headers).toEqual({
      Authorization: '<redacted>',
      Cookie: '<redacted>',
      Accept: '*/*',
    });
    expect(scrubbed.extra).toEqual({
      api_key: '<redacted>',
      max_tokens: 512,
      password: '<redacted>',
    });
  });

  it('survives cycles and keeps shared objects', () => {
    const shared = { note: TOKEN };
    const event: Record<string, unknown> = { a: shared, b: shared };
    event.self = event;
    const scrubbed = scrubEvent(event, redact) as Record<string, unknown>;
    expect(scrubbed.a).toEqual({ note: '<redacted>' });
    expect(scrubbed.b).toEqual({ note: '<redacted>' });
    expect(scrubbed.self).toBe('[circular]');
  });
});

describe('startErrorReports', () => {
  it('starts nothing without a DSN', () => {
    const sentry = new FakeSentry();
    expect(
      startErrorReports({ sentry, dsn: null, release: '1.0.0', packaged: true, secrets: () => [] }),
    ).toBe(false);
    expect(sentry.inits).toEqual([]);
  });

  it('starts with the release and scrubs with the secrets of the moment', () => {
    const sentry = new FakeSentry();
    let secrets: string[] = [];
    startErrorReports({
      sentry,
      dsn: 'https://k@errors.example/1',
      release: '1.0.0',
      packaged: true,
      secrets: () => secrets,
    });
    const init = sentry.inits[0]!;
    expect(init).toMatchObject({ release: 'studio-worker@1.0.0', environment: 'production' });
    secrets = [TOKEN];
    expect(init.beforeSend({ message: `x ${TOKEN}` })).toEqual({ message: 'x <redacted>' });
  });
});
