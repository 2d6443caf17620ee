import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { readCapped } from '../../../src/core/net/body.js';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('readCapped', () => {
  it('reads a body within the cap whole', async () => {
    const read = await readCapped(chunks('ab', 'cd'), 4);
    expect(read).toEqual({ data: Buffer.from('abcd'), truncated: false });
  });

  it('keeps the first maxBytes of a longer body and says it was cut', async () => {
    const read = await readCapped(chunks('abc', 'def', 'ghi'), 5);
    expect(read.data.toString()).toBe('abcde');
    expect(read.truncated).toBe(true);
  });

  it('stops reading at the cap: later chunks are never pulled', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled += 1;
        yield new Uint8Array(1024);
      }
    }
    const read = await readCapped(endless(), 4096);
    expect(read.truncated).toBe(true);
    expect(read.data.length).toBe(4096);
    expect(pulled).toBe(5);
  });

  it('tells onChunk the size of each chunk it takes', async () => {
    const sizes: number[] = [];
    await readCapped(chunks('a', 'bb', 'ccc'), 100, (n) => sizes.push(n));
    expect(sizes).toEqual([1, 2, 3]);
  });

  it('closes a real connection whose server keeps sending past the cap', async () => {
    // Real time: a real loopback server streams until the client goes away.
    let closed = false;
    const server = createServer((_req, res) => {
      const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024, 120)), 1);
      res.on('close', () => {
        clearInterval(timer);
        closed = true;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await request(`http://127.0.0.1:${port}/`);
      const read = await readCapped(res.body, 64 * 1024);
      expect(read).toMatchObject({ truncated: true });
      expect(read.data.length).toBe(64 * 1024);
      for (let i = 0; i < 500 && !closed; i += 1) await new Promise((r) => setTimeout(r, 10));
      expect(closed).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
