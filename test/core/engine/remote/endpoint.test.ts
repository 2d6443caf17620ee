import { describe, expect, it } from 'vitest';
import { endpointFrom, isLoopbackHost } from '../../../../src/core/engine/remote/endpoint.js';

const endpoint = (baseUrl: string | undefined, allowRemote = false) =>
  endpointFrom({ baseUrl, allowRemote, defaultUrl: 'http://127.0.0.1:7860', where: 'engines[2]' });

describe('isLoopbackHost', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1, also IPv4-mapped', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      'gpu.localhost',
      '127.0.0.1',
      '127.8.9.10',
      '[::1]',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    expect(isLoopbackHost(new URL('http://[::ffff:127.0.0.1]/').hostname)).toBe(true);
  });

  it('refuses other hosts, including the any-address', () => {
    for (const host of ['0.0.0.0', '10.0.0.2', '192.168.1.20', 'example.com', '[::ffff:a00:1]']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('endpointFrom', () => {
  it('uses the default when base_url is left out', () => {
    expect(endpoint(undefined)).toBe('http://127.0.0.1:7860');
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    expect(endpoint('http://localhost:8080/sd/api//')).toBe('http://localhost:8080/sd/api');
  });

  it('takes a remote server only with allow_remote', () => {
    expect(() => endpoint('https://gpu.example.com')).toThrow(
      'engines[2].base_url: gpu.example.com is not this machine',
    );
    expect(endpoint('https://gpu.example.com', true)).toBe('https://gpu.example.com');
  });

  it('refuses a query or fragment', () => {
    expect(() => endpoint('http://127.0.0.1:7860/?key=1')).toThrow(
      'engines[2].base_url: must not have a ?query or #fragment',
    );
  });

  it('refuses text that is not a URL', () => {
    expect(() => endpoint('127.0.0.1:7860')).toThrow(
      'engines[2].base_url: must be an http:// or https:// URL (got "127.0.0.1:7860")',
    );
  });
});
