// @sentry/electron/main for the boot test, with its rule: init throws once Electron is ready
// (the SDK registers a privileged scheme, which Electron allows only before `ready`).
import { protocol, record } from './fake-electron.mjs';

export function init(options) {
  protocol.registerSchemesAsPrivileged([{ scheme: 'sentry-ipc' }]);
  record('sentry-init', { dsn: options.dsn });
}

export function flush() {
  return Promise.resolve(true);
}
