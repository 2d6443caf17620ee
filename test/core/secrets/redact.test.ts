import { describe, expect, it } from 'vitest';
import {
  redactorFor,
  redactUrlCredentials,
  restoreUrlCredentials,
  urlCredentials,
} from '../../../src/core/secrets/redact.js';

describe('redactorFor', () => {
  it('replaces every occurrence of each secret', () => {
    const redact = redactorFor(['abc123', 'zz9']);
    expect(redact('abc123 then zz9 then abc123')).toBe(
      '<redacted> then <redacted> then <redacted>',
    );
  });

  it('replaces a secret that contains another one whole', () => {
    const redact = redactorFor(['tok', 'tok-long']);
    expect(redact('x tok-long y')).toBe('x <redacted> y');
  });

  it('replaces the URL-encoded form of a secret', () => {
    const redact = redactorFor(['a b/c']);
    expect(redact('?t=a%20b%2Fc')).toBe('?t=<redacted>');
  });

  it('replaces the JSON-escaped form of a secret', () => {
    const redact = redactorFor(['q"uote']);
    expect(redact('{"t":"q\\"uote"}')).toBe('{"t":"<redacted>"}');
  });

  it('skips empty and undefined secrets', () => {
    const redact = redactorFor(['', undefined]);
    expect(redact('nothing to hide')).toBe('nothing to hide');
  });
});

describe('URL credentials', () => {
  it('hides the userinfo of every URL in a text, up to the last @ of its authority', () => {
    expect(
      redactUrlCredentials('at https://a:p@ss@h:9/p?q=a@b and http://T0KEN@h2, http://h3/'),
    ).toBe('at https://<redacted>@h:9/p?q=a@b and http://<redacted>@h2, http://h3/');
  });

  it('leaves e-mail addresses and URLs without userinfo as they are, also in JSON', () => {
    const text = '{"url":"http://host:80","mail":"ada@example.com"}';
    expect(redactUrlCredentials(text)).toBe(text);
    expect(redactUrlCredentials('http://<redacted>@h/')).toBe('http://<redacted>@h/');
  });

  it('is applied by every redactor, whatever secrets it was given', () => {
    expect(redactorFor([])('could not reach http://u:pw@127.0.0.1:1')).toBe(
      'could not reach http://<redacted>@127.0.0.1:1',
    );
  });

  it('lists the password as written and decoded, or the user name when there is none', () => {
    expect(urlCredentials('http://user:pa%40ss@h/')).toEqual(['pa%40ss', 'pa@ss']);
    expect(urlCredentials('https://TOKEN@h/')).toEqual(['TOKEN']);
    expect(urlCredentials('https://h/')).toEqual([]);
    expect(urlCredentials('not a url')).toEqual([]);
    expect(urlCredentials(null)).toEqual([]);
  });

  it('gives an edited URL that kept the redacted userinfo the credentials it replaces', () => {
    expect(restoreUrlCredentials('http://<redacted>@new:9/', 'http://u:p@old/')).toBe(
      'http://u:p@new:9/',
    );
    expect(restoreUrlCredentials('http://%3Credacted%3E@new/', 'http://u:p@old/')).toBe(
      'http://u:p@new/',
    );
    expect(restoreUrlCredentials('http://new/', 'http://u:p@old/')).toBe('http://new/');
    expect(restoreUrlCredentials('http://<redacted>@new/', 'http://old/')).toBe(
      'http://<redacted>@new/',
    );
  });
});
