import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Component tests are TSX: the same automatic JSX runtime as the Vite build.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
