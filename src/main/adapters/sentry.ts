// Error reports over @sentry/electron's main-process SDK. Initialised only when start.ts finds a
// DSN; the renderer's SDK (@sentry/electron/renderer) is the window's to add.
import * as Sentry from '@sentry/electron/main';
import type { SentryPort } from '../ports.js';

export const electronSentry: SentryPort = {
  init: (options) =>
    Sentry.init({
      dsn: options.dsn,
      release: options.release,
      environment: options.environment,
      sendDefaultPii: false,
      beforeSend: (event) => options.beforeSend(event),
      beforeBreadcrumb: (breadcrumb) => options.beforeSend(breadcrumb),
    }),
  flush: (timeoutMs) => Sentry.flush(timeoutMs),
};
