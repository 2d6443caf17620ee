import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isRendererUrl,
  rendererLocation,
} from '../../../src/main/window/renderer-location.js';
import type { RendererLocation } from '../../../src/main/window/renderer-location.js';

const BUILT = 'file:///opt/studio-worker/dist/renderer/index.html';

describe('rendererLocation', () => {
  it('loads the built page, always in a packaged app', () => {
    expect(rendererLocation({ packaged: false, env: {}, builtIndexUrl: BUILT })).toEqual({
      kind: 'file',
      url: BUILT,
    });
    const env = { STUDIO_WORKER_RENDERER_URL: 'http://localhost:5173/' };
    expect(rendererLocation({ packaged: true, env, builtIndexUrl: BUILT }).kind).toBe('file');
  });

  it('loads a loopback dev server in a development build, and nothing else', () => {
    expect(
      rendererLocation({
        packaged: false,
        env: { STUDIO_WORKER_RENDERER_URL: 'http://localhost:5173/' },
        builtIndexUrl: BUILT,
      }),
    ).toEqual({ kind: 'dev', url: 'http://localhost:5173/' });
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'not a url']) {
      expect(
        rendererLocation({
          packaged: false,
          env: { STUDIO_WORKER_RENDERER_URL: url },
          builtIndexUrl: BUILT,
        }).kind,
      ).toBe('file');
    }
  });
});

describe('isRendererUrl', () => {
  it('accepts our file with any route, and the dev server’s origin', () => {
    expect(isRendererUrl({ kind: 'file', url: BUILT }, `${BUILT}#/settings`)).toBe(true);
    expect(
      isRendererUrl({ kind: 'file', url: BUILT }, 'file:///opt/studio-worker/dist/other.html'),
    ).toBe(false);
    const dev = { kind: 'dev', url: 'http://localhost:5173/' } as const;
    expect(isRendererUrl(dev, 'http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isRendererUrl(dev, 'http://localhost:5174/')).toBe(false);
    expect(isRendererUrl(dev, 'garbage')).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only the page’s own files, and no network, for the built page', () => {
    const csp = contentSecurityPolicy({ kind: 'file', url: BUILT });
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'none'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
  });

  it('lets the dev server’s inline client and hot-reload socket through', () => {
    const csp = contentSecurityPolicy({ kind: 'dev', url: 'http://localhost:5173/' });
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
  });
});

describe('the renderer page on Windows and its own CSP', () => {
  const built: RendererLocation = {
    kind: 'file',
    url: 'file:///C:/Program%20Files/Studio%20Worker/resources/app.asar/dist/renderer/index.html',
  };

  it('compares the page’s file path case-insensitively on Windows only', () => {
    const other =
      'file:///c:/program%20files/studio%20worker/resources/app.asar/dist/renderer/index.html#/logs';
    expect(isRendererUrl(built, other, 'win32')).toBe(true);
    expect(isRendererUrl(built, other, 'linux')).toBe(false);
    expect(isRendererUrl(built, 'file:///c:/evil/index.html', 'win32')).toBe(false);
  });

  it('carries a <meta> CSP in renderer/index.html, since file:// responses get no header', async () => {
    const html = await readFile(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const policy = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
      html,
    )?.[1];
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
  });
});
