import { describe, expect, it } from 'vitest';
import { integerOfLiteral, rawNumberAt, stringifyExact } from '../../../src/core/net/exact-json.js';

describe('rawNumberAt', () => {
  it('finds the literal at a path of keys, as written', () => {
    expect(rawNumberAt('{"a":{"b":18446744073709551615}}', ['a', 'b'])).toBe(
      '18446744073709551615',
    );
  });

  it('ignores the same key at other depths, inside arrays and inside strings', () => {
    const text =
      '{"b":1,"a":[{"b":2}],"x":"{\\"a\\":{\\"b\\":3}}","a":{"c":{"b":4},"s":"\\\\","b":5}}';
    expect(rawNumberAt(text, ['a', 'b'])).toBe('5');
  });

  it('takes the last of duplicate keys, as JSON.parse does', () => {
    expect(rawNumberAt('{"a":1,"a":2}', ['a'])).toBe('2');
  });

  it('is undefined when the value there is not a number', () => {
    expect(rawNumberAt('{"a":"7"}', ['a'])).toBeUndefined();
    expect(rawNumberAt('{"a":null}', ['a'])).toBeUndefined();
  });
});

describe('integerOfLiteral', () => {
  it('reads integers of any size exactly, in every JSON spelling', () => {
    expect(integerOfLiteral('18446744073709551615')).toBe(18_446_744_073_709_551_615n);
    expect(integerOfLiteral('-9223372036854775808')).toBe(-9_223_372_036_854_775_808n);
    expect(integerOfLiteral('12.000')).toBe(12n);
    expect(integerOfLiteral('1.5e1')).toBe(15n);
    expect(integerOfLiteral('1E19')).toBe(10_000_000_000_000_000_000n);
  });

  it('is undefined for a fraction or an absurd exponent', () => {
    expect(integerOfLiteral('1.5')).toBeUndefined();
    expect(integerOfLiteral('15e-1')).toBe(undefined);
    expect(integerOfLiteral('1e999999')).toBeUndefined();
  });
});

describe('stringifyExact', () => {
  it('writes bigints as exact integer literals', () => {
    expect(stringifyExact({ seed: 18_446_744_073_709_551_615n, n: [1n, 'x'] })).toBe(
      '{"seed":18446744073709551615,"n":[1,"x"]}',
    );
  });

  it('writes everything else as JSON.stringify does', () => {
    const value = { a: 'q"\u0000', b: [undefined, null, 1.5], c: undefined, d: { e: true } };
    expect(stringifyExact(value)).toBe(JSON.stringify(value));
    expect(stringifyExact('\u0000bigint:5')).toBe(JSON.stringify('\u0000bigint:5'));
  });
});
