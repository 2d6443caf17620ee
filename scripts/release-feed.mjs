#!/usr/bin/env node
// `npm run release:feed -- <dir> [--version X] [--channel latest] [--staging <percent>]
//  [--release-date <ISO>]`: writes electron-updater's feed files for a folder of built
// installers, as electron-builder's publish step would: latest.yml (Windows NSIS .exe),
// latest-mac.yml (.zip first: the updater installs from it, then .dmg), latest-linux.yml
// (.AppImage, then .deb) — latest-linux-arm64.yml for arm64 AppImages — each with the sha512
// (base64) and size of every file, the version, path, releaseDate and an optional
// stagingPercentage. Upload them next to the installers (a generic HTTPS feed or a GitHub release).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which feed an installer belongs to, by its name; null for anything else (blockmaps, yml…). */
export function feedFor(file, channel = 'latest') {
  const name = file.toLowerCase();
  if (name.endsWith('.exe')) return `${channel}.yml`;
  if (name.endsWith('.zip') || name.endsWith('.dmg')) return `${channel}-mac.yml`;
  if (name.endsWith('.appimage') || name.endsWith('.deb')) {
    return /(arm64|aarch64)/.test(name) ? `${channel}-linux-arm64.yml` : `${channel}-linux.yml`;
  }
  return null;
}

/** Installers the updater prefers come first: the first file is the feed's `path`. */
function rank(file) {
  const order = ['.zip', '.appimage', '.exe', '.dmg', '.deb'];
  const i = order.findIndex((ext) => file.toLowerCase().endsWith(ext));
  return i === -1 ? order.length : i;
}

export function sha512File(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('base64')));
  });
}

/** A YAML scalar: plain where safe, else JSON's double-quoted form (valid YAML). */
function scalar(value) {
  const text = String(value);
  return /^[A-Za-z0-9._\-/+=]+$/.test(text) && !/^[0-9.]+$/.test(text)
    ? text
    : JSON.stringify(text);
}

export function parseStaging(value) {
  const percent = Number(value);
  if (
    value === undefined ||
    value === '' ||
    !Number.isFinite(percent) ||
    percent < 0 ||
    percent > 100
  ) {
    throw new Error(`--staging takes a percentage from 0 to 100 (got ${JSON.stringify(value)})`);
  }
  return percent;
}

/**
 * The feed files for the installers in `dir`: { 'latest-linux.yml': '…', … }. Throws when there
 * is no installer at all.
 */
export async function buildFeeds(dir, opts) {
  const { version, channel = 'latest', staging, releaseDate = new Date().toISOString() } = opts;
  if (!version) throw new Error('a version is needed (--version, or package.json)');
  const groups = new Map();
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isFile()) continue;
    const feed = feedFor(entry.name, channel);
    if (feed === null) continue;
    groups.set(feed, [...(groups.get(feed) ?? []), entry.name]);
  }
  if (groups.size === 0)
    throw new Error(`no installers (.exe, .zip, .dmg, .AppImage, .deb) in ${dir}`);
  const feeds = {};
  for (const [feed, names] of groups) {
    names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const files = [];
    for (const name of names) {
      const full = path.join(dir, name);
      files.push({ url: name, sha512: await sha512File(full), size: (await stat(full)).size });
    }
    const [first] = files;
    const lines = [`version: ${scalar(version)}`, 'files:'];
    for (const f of files) {
      lines.push(`  - url: ${scalar(f.url)}`, `    sha512: ${f.sha512}`, `    size: ${f.size}`);
    }
    lines.push(`path: ${scalar(first.url)}`, `sha512: ${first.sha512}`);
    lines.push(`releaseDate: '${releaseDate}'`);
    if (staging !== undefined) lines.push(`stagingPercentage: ${staging}`);
    feeds[feed] = `${lines.join('\n')}\n`;
  }
  return feeds;
}

export function parseArgs(argv) {
  const opts = { dir: undefined };
  const names = {
    '--version': 'version',
    '--channel': 'channel',
    '--staging': 'staging',
    '--release-date': 'releaseDate',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (flag in names) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      opts[names[flag]] = flag === '--staging' ? parseStaging(value) : value;
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}`);
    } else if (opts.dir === undefined) {
      opts.dir = arg;
    } else {
      throw new Error(`one folder only (got ${opts.dir} and ${arg})`);
    }
  }
  if (opts.dir === undefined) {
    throw new Error(
      'usage: npm run release:feed -- <dir> [--version X] [--channel latest|beta] [--staging <percent>] [--release-date <ISO>]',
    );
  }
  return opts;
}

export async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.version === undefined) {
    const pkg = new URL('../package.json', import.meta.url);
    opts.version = JSON.parse(await readFile(pkg, 'utf8')).version;
  }
  const feeds = await buildFeeds(opts.dir, opts);
  for (const [name, text] of Object.entries(feeds)) {
    await writeFile(path.join(opts.dir, name), text);
    console.log(`wrote ${path.join(opts.dir, name)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`release:feed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
