// The one headline in Chromium against the real `studio-worker run --ui` process and the real
// local studio: every job failing reads "Failing", not a green "Idle"; an engine that does not
// answer reads "Cannot take jobs", not "waiting for jobs". Screenshots light and dark.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import type { UiWorker } from './window-harness.js';
import { goTo, launchChromium, openWindow, screenshot, startUiWorker } from './window-harness.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

/** A real OpenAI-style server that lists one model and fails every completion. */
async function brokenModelServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url?.startsWith('/v1/models')) {
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'tiny', object: 'model' }] }));
      return;
    }
    req.resume();
    res.statusCode = 500;
    res.end(JSON.stringify({ error: { message: 'model crashed while loading' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on: bound, then closed again. */
async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function headlineShots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `headline-${name}-${scheme}`);
  }
}

/** WCAG contrast ratio of two opaque `rgb(r, g, b)` colours as getComputedStyle writes them. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const badge = (page: Page) => page.getByTestId('state-badge');

// Real time: a real worker process, studio and model server; waits are bounded by eventually().
describe('the headline in the window', () => {
  let worker: UiWorker | undefined;
  let engine: { url: string; close(): Promise<void> } | undefined;

  afterAll(async () => {
    await worker?.close();
    await engine?.close();
  });

  it('says "Failing" with the count and the reason when every job fails', async () => {
    engine = await brokenModelServer();
    worker = await startUiWorker(
      { engine: 'multi', engines: [{ engine: 'openai', base_url: engine.url }] },
      { maxAttempts: 1 },
    );
    const sim = worker.sim;
    const ids = [1, 2, 3, 4].map((n) =>
      sim.enqueue({
        model: 'tiny',
        task: { kind: 'llm', messages: [{ role: 'user', content: `question ${n}` }] },
      }),
    );
    await eventually(
      () => ids.every((id) => sim.job(id)?.state === 'failed'),
      'the four jobs to fail',
      20_000,
    );
    const page = await openWindow(browser, worker);
    await badge(page).filter({ hasText: 'Failing' }).waitFor({ timeout: 10_000 });
    expect(await badge(page).getAttribute('class')).toContain('tone-error');
    const detail = await page.locator('.badge-detail').textContent();
    expect(detail).toMatch(/^4 of the last 4 jobs failed: .*500/);
    await headlineShots(page, 'failing');
    await page.close();
  }, 60_000);

  it('says "Cannot take jobs" when the engine does not answer', async () => {
    await worker?.close();
    worker = await startUiWorker({
      engine: 'multi',
      engines: [{ engine: 'openai', base_url: `http://127.0.0.1:${await deadPort()}` }],
    });
    const page = await openWindow(browser, worker);
    await badge(page).filter({ hasText: 'Cannot take jobs' }).waitFor({ timeout: 15_000 });
    expect(await badge(page).getAttribute('class')).toContain('tone-error');
    expect(await page.locator('.badge-detail').textContent()).toMatch(/engine does not answer/);
    await headlineShots(page, 'cannot-take-jobs');
    await page.close();
  }, 60_000);

  it('keeps the reset button readable on hover (4.5:1), light and dark', async () => {
    const page = await openWindow(browser, worker!);
    await goTo(page, 'Settings');
    await page.getByRole('button', { name: 'Reset registration…' }).click();
    const reset = page.getByRole('button', { name: 'Yes, reset registration' });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await reset.hover();
      const [fg, bg] = await reset.evaluate((el) => {
        const style = getComputedStyle(el);
        return [style.color, style.backgroundColor];
      });
      expect(contrast(fg, bg), `${scheme}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.close();
  }, 30_000);
});
