// The packaging config, read as electron-builder reads it, checked for what each installer target
// refuses to build without (deb/rpm: a maintainer and a homepage; every target: the files it
// names). Installers cannot be built here, so `npm run dist` failing at the last step on a
// release machine is caught now instead.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

interface Person {
  name?: string;
  email?: string;
  url?: string;
}
interface PackageJson {
  name: string;
  version: string;
  description?: string;
  homepage?: string;
  author?: string | Person;
  main?: string;
}
type Target = string | { target: string };
interface PlatformConfig {
  target?: Target[];
  icon?: string;
  maintainer?: string;
  vendor?: string;
  category?: string;
  synopsis?: string;
  entitlements?: string;
  entitlementsInherit?: string;
  executableName?: string;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  afterPack?: string;
  linux?: PlatformConfig;
  win?: PlatformConfig;
  mac?: PlatformConfig;
  deb?: { depends?: string[] };
}

async function load(): Promise<{ pkg: PackageJson; config: BuilderConfig }> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as PackageJson;
  const config = yaml.load(
    await readFile(path.join(root, 'electron-builder.yml'), 'utf8'),
  ) as BuilderConfig;
  return { pkg, config };
}

/** "Name <email>" or { name, email } as npm allows; electron-builder takes the email from either. */
function authorEmail(author: PackageJson['author']): string | undefined {
  if (typeof author === 'string') return /<([^>]+)>/.exec(author)?.[1];
  return author?.email;
}
function authorUrl(author: PackageJson['author']): string | undefined {
  if (typeof author === 'string') return /\(([^)]+)\)/.exec(author)?.[1];
  return author?.url;
}

const targetNames = (platform: PlatformConfig | undefined) =>
  (platform?.target ?? []).map((t) => (typeof t === 'string' ? t : t.target));

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

describe('the packaging config has what every installer target requires', () => {
  it('names the app: appId, productName, version, description and the main entry', async () => {
    const { pkg, config } = await load();
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName?.trim()).toBeTruthy();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.description?.trim()).toBeTruthy();
    expect(pkg.main).toBe('dist/main/index.js');
  });

  it('gives deb and rpm a maintainer with an email and a homepage (fpm refuses without)', async () => {
    const { pkg, config } = await load();
    const linuxTargets = targetNames(config.linux);
    expect(linuxTargets).toContain('deb');
    // electron-builder: linux.maintainer, else the author's email; homepage, else the author's url.
    const maintainer = config.linux?.maintainer ?? authorEmail(pkg.author);
    expect(maintainer, 'linux.maintainer or package.json author email').toBeTruthy();
    const email = /<([^>]+)>/.exec(maintainer ?? '')?.[1] ?? maintainer;
    expect(email).toMatch(EMAIL);
    const homepage = pkg.homepage ?? authorUrl(pkg.author);
    expect(homepage, 'package.json homepage').toMatch(/^https:\/\/\S+$/);
    // The author email is also what electron-builder checks first for deb, whatever linux says.
    expect(authorEmail(pkg.author)).toMatch(EMAIL);
    expect(config.linux?.synopsis?.trim()).toBeTruthy();
    expect(config.linux?.category?.trim()).toBeTruthy();
    expect(config.linux?.executableName).toMatch(/^[a-z0-9-]+$/);
    expect(config.deb?.depends?.length).toBeGreaterThan(0);
  });

  it('points every target at files that exist (icons, entitlements, the afterPack hook)', async () => {
    const { config } = await load();
    const files: [string, string | undefined][] = [
      ['linux.icon', config.linux?.icon],
      ['win.icon', config.win?.icon],
      ['mac.icon', config.mac?.icon],
      ['mac.entitlements', config.mac?.entitlements],
      ['mac.entitlementsInherit', config.mac?.entitlementsInherit],
      ['afterPack', config.afterPack],
    ];
    for (const [key, file] of files) {
      expect(file, key).toBeTruthy();
      expect(existsSync(path.join(root, file!)), `${key}: ${file}`).toBe(true);
    }
  });

  it('builds an installer for each platform and the files its updater installs from', async () => {
    const { config } = await load();
    expect(targetNames(config.win)).toContain('nsis');
    // electron-updater on macOS installs from the zip; the dmg is for the first install.
    expect(targetNames(config.mac)).toEqual(expect.arrayContaining(['dmg', 'zip']));
    expect(targetNames(config.linux)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac?.category).toMatch(/^public\.app-category\./);
  });
});
