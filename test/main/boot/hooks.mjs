// Module loader hooks for booting the built main entry in plain Node: electron, electron-log/main
// and @sentry/electron/main resolve to the fakes beside this file (the Electron binary cannot be
// downloaded here). Everything else loads for real.
const FAKES = {
  electron: './fake-electron.mjs',
  'electron-log/main': './fake-electron-log.mjs',
  '@sentry/electron/main': './fake-sentry.mjs',
};

export async function resolve(specifier, context, nextResolve) {
  const fake = FAKES[specifier];
  if (fake) return { url: new URL(fake, import.meta.url).href, shortCircuit: true };
  return nextResolve(specifier, context);
}
