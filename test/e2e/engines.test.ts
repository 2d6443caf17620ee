// The Engines section in Chromium against the real `studio-worker run --ui` process: a server
// on this machine (loopback stand-ins on random ports, given by STUDIO_WORKER_DETECT_PORTS) is
// detected and added through the window, and the config file then runs it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDetectStandIns, type DetectStandIns } from '../core/engine/detect/standins.js';
import type { UiWorker } from './window-harness.js';
import { goTo, launchChromium, openWindow, pageProblems, startUiWorker } from './window-harness.js';

let browser: Browser;
let standIns: DetectStandIns;
let worker: UiWorker;
let page: Page;

beforeAll(async () => {
  standIns = await startDetectStandIns();
  const ports = Object.entries(standIns.ports)
    .map(([name, port]) => `${name}=${port}`)
    .join(',');
  [browser, worker] = await Promise.all([
    launchChromium(),
    startUiWorker({}, {}, { STUDIO_WORKER_DETECT_PORTS: ports }),
  ]);
  page = await openWindow(browser, worker);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
  await standIns?.close();
});

describe('engines in the settings window', () => {
  it('detects Ollama on this machine and adds it with one click', async () => {
    await goTo(page, 'Settings');
    await page.getByRole('button', { name: 'Detect engines' }).click();
    const found = page
      .getByRole('list', { name: 'Detected engines' })
      .getByRole('listitem', { name: 'Ollama' });
    await found.waitFor();
    expect(await found.textContent()).toContain('codellama:latest, gemma2:27b');

    await found.getByRole('button', { name: 'Add Ollama' }).click();
    await found.getByText('Added').waitFor();

    const config = await worker.store.reload();
    expect(config.engine).toBe('openai');
    expect(config.engines).toEqual([{ engine: 'openai', base_url: standIns.ollama.url }]);

    // The configured list now shows it, answering, with its models.
    const configured = page
      .getByRole('list', { name: 'Configured engines' })
      .getByRole('listitem', { name: `openai (${standIns.ollama.url})` });
    await configured.waitFor();
    expect(await configured.getByTestId('engine-health').textContent()).toBe('answers');
    expect(await configured.getByTestId('engine-models').textContent()).toBe(
      'codellama:latest, gemma2:27b',
    );
    expect(pageProblems(page)).toEqual([]);
  });
});
