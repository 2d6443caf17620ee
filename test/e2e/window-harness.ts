// End-to-end pieces: Debian's Chromium driven by playwright-core, the real `studio-worker run --ui`
// process (parsing the URL it prints) against the real local studio, screenshots and axe scans.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ConfigStore } from '../../src/core/config/store.js';
import type { WorkerConfig } from '../../src/core/config/types.js';
import type { StudioSim, StudioSimOptions } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { spawnCli } from '../helpers/cli.js';
import { configFor, eventually, tempDir } from '../helpers/harness.js';

export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../test-artifacts/screenshots/', import.meta.url),
);

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** The slow synthetic engine: every job takes 1.5 s, long enough to watch it run. */
export const SLOW_ENGINE: Partial<WorkerConfig> = {
  engine: 'multi',
  engines: [{ engine: 'synthetic', delay_ms: 1_500 }],
};

export interface UiWorker {
  sim: StudioSim;
  store: ConfigStore;
  /** The printed URL, token included. */
  url: string;
  origin: string;
  output(): string;
  close(): Promise<void>;
}

const URL_LINE = /settings window at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;

/** The real `studio-worker run --ui --ui-port 0` process, with a fresh config, and its studio. */
export async function startUiWorker(
  config: Partial<WorkerConfig> = {},
  simOptions: StudioSimOptions = {},
  /** Extra environment for the worker process (STUDIO_WORKER_DETECT_PORTS). */
  env: NodeJS.ProcessEnv = {},
): Promise<UiWorker> {
  const sim = await startStudioSim({ port: 0, ...simOptions });
  const dir = await tempDir('studio-worker-e2e-');
  const store = await configFor(sim, dir, config);
  const run = spawnCli(['run', '--ui', '--ui-port', '0', '--config', store.path], env);
  let url = '';
  try {
    await eventually(() => URL_LINE.test(run.output()), 'the printed window URL', 15_000);
    url = URL_LINE.exec(run.output())![1]!;
  } catch (error) {
    run.child.kill('SIGKILL');
    await sim.close();
    throw new Error(`${(error as Error).message}\n${run.output()}`);
  }
  return {
    sim,
    store,
    url,
    origin: new URL(url).origin,
    output: run.output,
    async close() {
      if (run.child.exitCode === null) run.child.kill('SIGTERM');
      await run.exited;
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the window the way a user does: the printed URL, then waits for the first snapshot. */
export async function openWindow(browser: Browser, worker: UiWorker): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(worker.url);
  await page.getByTestId('state-badge').waitFor();
  return page;
}

/** Errors the page logged (script errors, CSP refusals, failed requests). */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

/** Goes to a page of the window by its navigation link. */
export async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let axeSource: string | undefined;

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  // evaluate() is not subject to the page's CSP, unlike an injected <script>.
  await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(`
    axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
    })))
  `);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Claims the worker sent so far. */
export function claimCount(sim: StudioSim): number {
  return sim.requests().filter((r) => r.route === 'claim').length;
}
