// The window as Electron loads it: dist/renderer/index.html from file:// (Vite's relative base),
// talking to the preload's `window.studioWorker` — here a stand-in that pushes a fixture snapshot
// (two GPUs, a running job) and records the commands it is sent.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerSnapshot } from '../../src/shared/snapshot.js';
import { idleSnapshot, recentJob, runningJob } from '../renderer/fixtures.js';
import { launchChromium, screenshot, seriousA11yViolations } from './window-harness.js';

const INDEX = pathToFileURL(path.resolve('dist/renderer/index.html')).href;

function busySnapshot(): WorkerSnapshot {
  const now = Date.now();
  return idleSnapshot({
    currentJob: { ...runningJob(), startedAt: new Date(now - 42_000).toISOString() },
    lastHeartbeat: { attemptedAt: new Date(now - 2_000).toISOString(), outcome: { kind: 'ok' } },
    recentJobs: [recentJob(1), recentJob(2)],
    spool: { count: 1, bytes: 2_400_000 },
    vramTotalGb: 48,
    gpus: [
      {
        index: 0,
        name: 'NVIDIA GeForce RTX 4090',
        vramTotalGb: 24,
        vramUsedGb: 17.5,
        vramFreeGb: 6.5,
        utilizationPercent: 97,
        driverVersion: '550.54',
        source: 'nvidia-smi',
      },
      {
        index: 1,
        name: 'NVIDIA RTX A5000',
        vramTotalGb: 24,
        vramUsedGb: 1.2,
        vramFreeGb: 22.8,
        utilizationPercent: 0,
        driverVersion: '550.54',
        source: 'nvidia-smi',
      },
    ],
  });
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Chromium refuses module scripts from file:// unless told otherwise; Electron allows them.
  browser = await launchChromium(['--allow-file-access-from-files']);
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.addInitScript({
    content: `
      window.__sent = [];
      const snapshot = ${JSON.stringify(busySnapshot())};
      window.studioWorker = {
        subscribe(listener) { listener(snapshot); return () => {}; },
        send(command) { window.__sent.push(command); return Promise.resolve({ ok: true }); },
      };`,
  });
  await page.goto(INDEX);
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

describe('the window over the Electron preload bridge', () => {
  it('loads from file:// and shows the running job and both GPUs', async () => {
    await page.getByTestId('state-badge').filter({ hasText: 'Working' }).waitFor();
    expect(await page.getByRole('img', { name: /^VRAM: used 17.5 GB/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /^VRAM: used 1.2 GB/ }).count()).toBe(1);
    expect(await page.getByTestId('elapsed').textContent()).toMatch(/^4\ds$/);
  });

  it.each(['light', 'dark'] as const)(
    'status with GPUs and a running job: screenshot, no serious axe violations (%s)',
    async (scheme) => {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `status-running-${scheme}`);
      expect(await seriousA11yViolations(page)).toEqual([]);
    },
  );

  it('sends commands through window.studioWorker', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await page.evaluate('window.__sent')).toEqual([{ type: 'setEnabled', enabled: false }]);
  });
});
