// The settings window in Chromium against the real `studio-worker run --ui` process and the real
// local studio: a job seen running then finished, pause, the threshold, refused settings.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import { eventually } from '../helpers/harness.js';
import type { UiWorker } from './window-harness.js';
import {
  claimCount,
  goTo,
  launchChromium,
  openWindow,
  pageProblems,
  SLOW_ENGINE,
  startUiWorker,
} from './window-harness.js';

const IMAGE_MODEL = SYNTHETIC_MODELS.image![0]!;

let browser: Browser;
let worker: UiWorker;
let page: Page;

beforeAll(async () => {
  [browser, worker] = await Promise.all([launchChromium(), startUiWorker(SLOW_ENGINE)]);
  page = await openWindow(browser, worker);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
});

const badge = () => page.getByTestId('state-badge');

async function badgeSays(text: string, timeout = 10_000) {
  await page.getByTestId('state-badge').filter({ hasText: text }).waitFor({ timeout });
}

function enqueueImage(prompt: string, vramGbEstimate = 1): string {
  return worker.sim.enqueue({
    model: IMAGE_MODEL,
    vramGbEstimate,
    task: { kind: 'image', prompt, width: 16, height: 16 },
  });
}

describe('settings window end to end', () => {
  it('loads without script or CSP errors and drops the token from the address bar', async () => {
    await badgeSays('Idle');
    expect(page.url()).not.toContain('token=');
    expect(pageProblems(page)).toEqual([]);
  });

  it('shows a job running and then finished', async () => {
    await goTo(page, 'Status');
    const id = enqueueImage('a lighthouse on a cliff at dusk');
    await badgeSays('Working');
    const card = page.getByRole('region', { name: 'Current job' });
    expect(await card.textContent()).toContain('a lighthouse on a cliff at dusk');
    expect(await card.textContent()).toContain(IMAGE_MODEL);
    await badgeSays('Idle');
    expect(worker.sim.job(id)?.state).toBe('completed');
    expect(await page.getByTestId('count-completed').textContent()).toBe('1');
    await goTo(page, 'Jobs');
    const row = page.getByRole('row', { name: /a lighthouse on a cliff at dusk/ });
    expect(await row.textContent()).toContain('Completed');
  });

  it('stops claims at the studio when paused from the window', async () => {
    await goTo(page, 'Status');
    await page.getByRole('button', { name: 'Pause' }).click();
    await badgeSays('Paused');
    // A claim already on its way when the setting changed may still land: let it.
    await new Promise((r) => setTimeout(r, 300)); // real time: a real Chromium drives the window
    const claimsWhenPaused = claimCount(worker.sim);
    const id = enqueueImage('queued while paused');
    // The claim loop idles at 50 ms here: a second without a claim means it stopped claiming.
    await new Promise((r) => setTimeout(r, 1_000)); // real time: worker and Chromium both real
    expect(claimCount(worker.sim)).toBe(claimsWhenPaused);
    expect(worker.sim.job(id)?.state).toBe('queued');
    expect((await readFile(worker.store.path, 'utf8')).match(/^auto_enabled = (\w+)/m)?.[1]).toBe(
      'false',
    );

    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually(() => worker.sim.job(id)?.state === 'completed', 'the job after resuming');
    await badgeSays('Idle');
  });

  it('changes what the studio hands out when the threshold changes', async () => {
    const big = enqueueImage('needs 20 GB', 20);
    const claimsBefore = claimCount(worker.sim);
    await eventually(() => claimCount(worker.sim) > claimsBefore + 5, 'more claims');
    expect(worker.sim.job(big)?.state).toBe('queued');

    await goTo(page, 'Settings');
    const threshold = page.getByRole('spinbutton', { name: /^VRAM threshold \(GB\)/ });
    await threshold.fill('24');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'saved' }).first().waitFor();
    await eventually(() => worker.sim.job(big)?.state === 'completed', 'the 20 GB job', 15_000);
    const studioView = worker.sim.workers()[0]!;
    expect(studioView.capabilities.vramThresholdGb).toBe(24);
    expect(await page.getByTestId('dirty-state').textContent()).toBe('All changes saved');
  });

  it('shows why bad settings are refused and saves nothing', async () => {
    await goTo(page, 'Settings');
    const before = await readFile(worker.store.path, 'utf8');
    const url = page.getByRole('textbox', { name: /^Studio API URL/ });
    await url.fill('studio.example.com');
    const timeout = page.getByRole('spinbutton', { name: /^Job timeout/ });
    await timeout.fill('0');
    expect(await page.getByText('must be an http:// or https:// URL').textContent()).toContain(
      'e.g. https://studio.example.com',
    );
    expect(await page.getByText('must be at least 10').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Not saved: fix the fields marked below.').waitFor();
    expect(await url.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await readFile(worker.store.path, 'utf8')).toBe(before);
    await page.getByRole('button', { name: 'Discard' }).click();
    expect(await url.inputValue()).toBe(worker.sim.url);
    await goTo(page, 'Status');
    expect(await badge().textContent()).toContain('Idle');
  });
});
