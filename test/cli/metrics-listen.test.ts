import { describe, expect, it } from 'vitest';
import { metricsListenOf } from '../../src/cli/commands/run.js';
import { UsageError } from '../../src/cli/io.js';
import { defaultConfig } from '../../src/core/config/defaults.js';

const config = (metrics_listen: string | null) => ({ ...defaultConfig(), metrics_listen });

describe('where run serves /healthz, /readyz and /metrics', () => {
  it('serves nothing unless asked', () => {
    expect(metricsListenOf({}, config(null))).toBeNull();
  });

  it('listens on loopback for --metrics-port alone', () => {
    expect(metricsListenOf({ 'metrics-port': '9464' }, config(null))).toEqual({
      host: '127.0.0.1',
      port: 9464,
    });
  });

  it('takes metrics_listen as it is, 0.0.0.0 only when it says so', () => {
    expect(metricsListenOf({}, config('0.0.0.0:9464'))).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(metricsListenOf({}, config('[::1]:9100'))).toEqual({ host: '::1', port: 9100 });
  });

  it('lets the flag choose the port on the configured host (flag > env > file)', () => {
    expect(metricsListenOf({ 'metrics-port': '0' }, config('0.0.0.0:9464'))).toEqual({
      host: '0.0.0.0',
      port: 0,
    });
  });

  it('refuses a port that is not one, saying which values are allowed', () => {
    for (const bad of ['-1', '65536', 'abc', '9464.5', '']) {
      expect(() => metricsListenOf({ 'metrics-port': bad }, config(null))).toThrow(UsageError);
    }
    expect(() => metricsListenOf({ 'metrics-port': '70000' }, config(null))).toThrow(
      '--metrics-port must be a port number from 0 to 65535 (got 70000)',
    );
  });
});
