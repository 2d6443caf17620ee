// The main open-source packages inside Studio Worker and their licences (About page). A test
// checks each entry against the installed package's own package.json.

export interface Licence {
  name: string;
  licence: string;
  use: string;
}

export const LICENCES: readonly Licence[] = [
  { name: 'electron', licence: 'MIT', use: 'desktop app shell' },
  { name: 'electron-updater', licence: 'MIT', use: 'desktop updates' },
  { name: 'electron-log', licence: 'MIT', use: 'desktop log files' },
  { name: '@sentry/electron', licence: 'MIT', use: 'crash reports' },
  { name: 'react', licence: 'MIT', use: 'this window' },
  { name: 'react-dom', licence: 'MIT', use: 'this window' },
  { name: 'zustand', licence: 'MIT', use: 'window state' },
  { name: 'undici', licence: 'MIT', use: 'studio HTTP client' },
  { name: 'zod', licence: 'MIT', use: 'input validation' },
  { name: 'smol-toml', licence: 'BSD-3-Clause', use: 'config file' },
  { name: 'sharp', licence: 'Apache-2.0', use: 'image encoding' },
  { name: 'busboy', licence: 'MIT', use: 'multipart parsing' },
  { name: 'vite', licence: 'MIT', use: 'building this window' },
];
