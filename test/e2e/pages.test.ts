// Every page of the window in light and dark: a screenshot into test-artifacts/screenshots/ and
// an axe-core scan that must find no serious or critical violation; keyboard focus is visible.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import { eventually } from '../helpers/harness.js';
import type { UiWorker } from './window-harness.js';
import {
  launchChromium,
  openWindow,
  screenshot,
  seriousA11yViolations,
  startUiWorker,
} from './window-harness.js';

let browser: Browser;
let worker: UiWorker;
let page: Page;
let failedJobId: string;

beforeAll(async () => {
  [browser, worker] = await Promise.all([
    launchChromium(),
    // Images finish at once; llm jobs outlast the 10 s timeout (its floor), so the history has a
    // failure too (one attempt: the studio does not hand it out again). Real time: 10 s.
    startUiWorker(
      {
        engine: 'multi',
        engines: [
          { engine: 'synthetic', kinds: ['image', 'audio_tts'] },
          { engine: 'synthetic', kinds: ['llm'], delay_ms: 20_000 },
        ],
        job_timeout_secs: 10,
      },
      { maxAttempts: 1 },
    ),
  ]);
  const sim = worker.sim;
  const ids = [
    sim.enqueue({
      model: SYNTHETIC_MODELS.image![0]!,
      task: {
        kind: 'image',
        prompt: 'a lighthouse on a cliff at dusk, oil painting',
        width: 16,
        height: 16,
      },
    }),
    sim.enqueue({
      model: SYNTHETIC_MODELS.llm![0]!,
      task: { kind: 'llm', messages: [{ role: 'user', content: 'summarise the ship log' }] },
    }),
    sim.enqueue({
      model: SYNTHETIC_MODELS.image![0]!,
      task: { kind: 'image', prompt: 'a red bicycle leaning on a wall', width: 16, height: 16 },
    }),
  ];
  failedJobId = ids[1]!;
  await eventually(
    () => ids.every((id) => ['completed', 'failed'].includes(sim.job(id)?.state ?? '')),
    'the seeded jobs',
    30_000,
  );
  page = await openWindow(browser, worker);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
});

const PAGES = [
  { name: 'status', hash: '#/status', heading: 'Status' },
  { name: 'jobs', hash: '#/jobs', heading: 'Jobs' },
  { name: 'job-detail', hash: '', heading: '' },
  { name: 'logs', hash: '#/logs', heading: 'Logs' },
  { name: 'settings', hash: '#/settings', heading: 'Settings' },
  { name: 'about', hash: '#/about', heading: 'About' },
];

async function show(name: string, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme });
  const target = PAGES.find((p) => p.name === name)!;
  const hash = target.hash || `#/jobs/${failedJobId}`;
  const heading = target.heading || `Job ${failedJobId}`;
  await page.goto(`${worker.origin}/${hash}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe.each(['light', 'dark'] as const)('window pages in %s mode', (scheme) => {
  it.each(PAGES.map((p) => p.name))(
    `%s: screenshot, and no serious or critical axe violations (${scheme})`,
    async (name) => {
      await show(name, scheme);
      await screenshot(page, `${name}-${scheme}`);
      const violations = await seriousA11yViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    },
  );
});

describe('keyboard use', () => {
  it('reaches every control with Tab and shows where the focus is', async () => {
    await show('settings', 'light');
    await page.reload(); // Tab from the top of the page
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const seen: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press('Tab');
      const focus = (await page.evaluate(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { name: el.getAttribute('aria-label') || el.id || el.textContent.trim(),
                 outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      })()`)) as { name: string; outline: string; width: number } | null;
      if (!focus) break;
      expect(focus.outline, `focus ring on ${focus.name}`).toBe('solid');
      expect(focus.width, `focus ring on ${focus.name}`).toBeGreaterThanOrEqual(2);
      seen.push(focus.name);
    }
    expect(seen).toEqual([
      'Skip to content',
      'Status',
      'Jobs',
      'Logs',
      'Settings',
      'About',
      'setting-api-base-url',
      'setting-enabled',
      'VRAM threshold slider (GB)',
      'setting-vram-threshold',
      'setting-job-timeout',
      'Test synthetic (engines[0])',
      'Test synthetic (engines[1])',
      'Detect engines',
      'engines-gguf-path',
      'setting-auto-start',
      'setting-auto-update',
      'setting-auto-update-interval',
      'setting-auto-update-prerelease',
      'setting-bootstrap-token',
      'Register',
      'Reset registration…',
    ]);
  });

  it('keeps the newest log line in view while following', async () => {
    await show('logs', 'light');
    const lastMessage = await page.evaluate(
      `(() => { const rows = document.querySelectorAll('.windowed-row'); return rows[rows.length - 1].textContent; })()`,
    );
    const region = page.getByRole('region', { name: 'Log entries' });
    const box = (await region.boundingBox())!;
    const last = page.locator('.windowed-row').last();
    const lastBox = (await last.boundingBox())!;
    expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(box.y + box.height + 1);
    expect(lastBox.y).toBeGreaterThanOrEqual(box.y);
    expect(await last.textContent()).toBe(lastMessage);
  });
});
