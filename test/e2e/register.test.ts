// Registering from the window: a worker whose bootstrap token the studio refuses keeps running
// unregistered with its window open; a new token entered there registers it, and it takes jobs.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import { eventually } from '../helpers/harness.js';
import type { UiWorker } from './window-harness.js';
import { goTo, launchChromium, openWindow, startUiWorker } from './window-harness.js';

let browser: Browser;
let worker: UiWorker;
let page: Page;

beforeAll(async () => {
  [browser, worker] = await Promise.all([
    launchChromium(),
    startUiWorker({ bootstrap_token: 'not-the-studio-token' }),
  ]);
  page = await openWindow(browser, worker);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
});

describe('registering from the window', () => {
  it('shows the refused worker as not registered, with a Register action', async () => {
    await eventually(
      () => worker.output().includes('register from the window'),
      'the failed registration',
    );
    await page.getByTestId('state-badge').filter({ hasText: 'Not registered' }).waitFor();
    expect(await page.getByRole('button', { name: 'Register' }).isVisible()).toBe(true);
    expect(worker.sim.workers()).toEqual([]);
  });

  it('registers with the token entered in Settings and then takes jobs', async () => {
    await goTo(page, 'Settings');
    await page.getByLabel('Bootstrap token').fill(worker.sim.bootstrapToken);
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /registered as worker / })
      .waitFor();
    const [registered] = worker.sim.workers();
    expect(registered).toBeDefined();
    // The answer comes back before the next snapshot does.
    await page
      .getByTestId('registration-state')
      .filter({ hasText: `Registered as worker ${registered!.workerId}.` })
      .waitFor();
    expect(await page.getByLabel('Bootstrap token').inputValue()).toBe('');

    const id = worker.sim.enqueue({
      model: SYNTHETIC_MODELS.image![0]!,
      task: { kind: 'image', prompt: 'after registering', width: 16, height: 16 },
    });
    await eventually(() => worker.sim.job(id)?.state === 'completed', 'a job after registering');
    await goTo(page, 'Status');
    await page.getByTestId('state-badge').filter({ hasText: 'Idle' }).waitFor();
  });
});
