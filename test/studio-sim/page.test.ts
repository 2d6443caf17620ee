import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startStudioSim, type JobView, type StudioSim } from '../../src/studio-sim/index.js';
import { escapeHtml, jobPrompt } from '../../src/studio-sim/page.js';
import { claimJobId, complete, register, resultForm } from './sim-client.js';

let sim: StudioSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('GET /', () => {
  it('lists jobs with their data escaped', async () => {
    sim = await startStudioSim();
    sim.enqueue({ model: 'flux-dev', prompt: '<script>alert("x")</script> & co' });
    const res = await fetch(`${sim.url}/`);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<script>');
  });

  it('lists workers with machine, threshold and enabled state', async () => {
    sim = await startStudioSim();
    const worker = await register(sim);
    const html = await (await fetch(`${sim.url}/`)).text();
    expect(html).toContain(worker.workerId);
    expect(html).toContain('gpu-box');
    expect(html).toContain('16 GB');
  });

  it('shows a thumbnail of an image result', async () => {
    sim = await startStudioSim();
    const worker = await register(sim);
    sim.enqueue({ jobId: 'pic', model: 'flux-dev' });
    await claimJobId(sim, worker);
    await complete(
      sim,
      worker,
      'pic',
      resultForm('pic', Buffer.from('RIFF'), 'webp', 'image/webp'),
    );
    const html = await (await fetch(`${sim.url}/`)).text();
    expect(html).toContain('<img src="/results/pic"');
  });

  it('uses no external assets', async () => {
    sim = await startStudioSim();
    const html = await (await fetch(`${sim.url}/`)).text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('escapeHtml', () => {
  it('escapes all five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('jobPrompt', () => {
  const job = (task: Record<string, unknown>) => ({ prompt: '', task }) as unknown as JobView;

  it('takes the last message content of an llm task', () => {
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
    ];
    expect(jobPrompt(job({ kind: 'llm', messages }))).toBe('hello');
  });

  it('takes input_url for audio_stt and text for audio_tts', () => {
    expect(jobPrompt(job({ kind: 'audio_stt', input_url: 'http://a/b.wav' }))).toBe(
      'http://a/b.wav',
    );
    expect(jobPrompt(job({ kind: 'audio_tts', text: 'hi there' }))).toBe('hi there');
  });
});
