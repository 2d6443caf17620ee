// Lint rules, including the layering of DESIGN.md: each folder may import only the layers below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const electronModules = ['electron', 'electron/*', 'electron-log/main', '@sentry/electron/main'];

/** A no-restricted-imports rule that forbids the given path patterns. */
function forbid(patterns, message) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'demo-output/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: forbid(
      ['node:*', '../core/**', '../main/**', '../cli/**', ...electronModules],
      'src/shared holds types only: no runtime imports.',
    ),
  },
  {
    files: ['src/core/**/*.ts'],
    rules: forbid(
      [
        ...electronModules,
        '**/main/**',
        '**/cli/**',
        '**/studio-sim/**',
        '**/renderer/**',
        '**/preload/**',
      ],
      'src/core runs on plain Node: it may import only src/shared and npm packages.',
    ),
  },
  {
    files: ['src/studio-sim/**/*.ts'],
    rules: forbid(
      [...electronModules, '**/core/**', '**/main/**', '**/cli/**', '**/shared/**'],
      'src/studio-sim is an independent peer written from PROTOCOL.md: it imports nothing of the worker.',
    ),
  },
  {
    // Electron is imported only by the adapters (and preload, which is one): everything else in
    // main is plain code that the tests drive with fakes.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/adapters/**'],
    rules: forbid(
      [...electronModules, '**/cli/**', '**/renderer/**', '**/preload/**', '**/studio-sim/**'],
      'Only src/main/adapters/ may import electron, electron-log/main or @sentry/electron/main.',
    ),
  },
  {
    files: ['src/main/adapters/**/*.ts'],
    rules: forbid(
      ['**/cli/**', '**/renderer/**', '**/preload/**', '**/studio-sim/**'],
      'Adapters wrap Electron for main only.',
    ),
  },
  {
    files: ['src/preload/**/*.{ts,cts}'],
    rules: forbid(
      ['node:*', '**/core/**', '**/main/**', '**/cli/**', '**/renderer/**'],
      'Preload exposes the bridge; it imports only src/shared and electron.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(
      [
        'node:*',
        ...electronModules,
        '**/src/core/**',
        '**/src/main/**',
        '**/src/cli/**',
        '**/src/preload/**',
        '**/src/studio-sim/**',
      ],
      'The renderer sees only the bridge types in src/shared.',
    ),
  },
  {
    // The Rules of React on the renderer. A missing effect dependency is an error, not the
    // preset's warning: `eslint .` passes with warnings, so a warning would stay hidden.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: forbid(
      [...electronModules, '**/main/**', '**/renderer/**', '**/preload/**'],
      'The CLI is headless: no Electron.',
    ),
  },
);
