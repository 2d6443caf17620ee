// Builds the settings window (renderer/) into dist/renderer. Relative base: Electron loads it
// from file://, the headless worker's web bridge from loopback HTTP. No React plugin: Vite's
// own Oxc transform compiles TSX with the automatic runtime (no Fast Refresh needed here).
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  logLevel: 'warn',
  plugins: [
    {
      // The page's <meta> CSP is for the built files; the dev server injects inline scripts and
      // gets its own, looser policy from main (see src/main/window/renderer-location.ts).
      name: 'studio-worker-dev-csp',
      apply: 'serve',
      transformIndexHtml: (html) =>
        html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
    },
  ],
});
