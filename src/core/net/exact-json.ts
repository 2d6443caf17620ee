// JSON integers that keep every digit. JSON.parse and JSON.stringify go through doubles, which
// round integers beyond 2^53; a job's seed is a u64 on the wire (PROTOCOL.md), so it must cross
// from the studio to an engine exactly. Node 20 has neither JSON.rawJSON nor the reviver's
// source text, so the literal is found in the raw text instead.

/**
 * The raw text of the number literal at `path` (object keys from the root) in `text`, or
 * undefined when there is none. `text` must be valid JSON (parse it first): the scan trusts it.
 * Like JSON.parse, the last of duplicate keys wins.
 */
export function rawNumberAt(text: string, path: readonly string[]): string | undefined {
  /** One open container: an object with the key being read, or an array. */
  const stack: { key: string | undefined; inObject: boolean; expectKey: boolean }[] = [];
  const atPath = (): boolean =>
    stack.length === path.length &&
    stack.every((frame, depth) => frame.inObject && frame.key === path[depth]);
  let found: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const top = stack.at(-1);
    if (c === '{' || c === '[') {
      stack.push({ key: undefined, inObject: c === '{', expectKey: c === '{' });
      i += 1;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i += 1;
    } else if (c === ',') {
      if (top?.inObject) top.expectKey = true;
      i += 1;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (top?.inObject && top.expectKey) {
        top.key = JSON.parse(text.slice(i, end)) as string;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)?.[0] ?? c;
      if (atPath()) found = literal;
      i += literal.length;
    } else {
      // ':', white space, and the letters of true/false/null.
      i += 1;
    }
  }
  return found;
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The index just past the string starting at `start` (an opening quote). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i += 1;
  }
  return i;
}

/**
 * The exact integer a JSON number literal stands for (`18446744073709551615`, `1.0`, `5e3`), or
 * undefined when it has a fraction or is absurdly large (the caller's range check refuses it).
 */
export function integerOfLiteral(literal: string): bigint | undefined {
  const parts = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!parts) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = parts;
  const exponent = Number(exponentText) - fraction.length;
  let digits = (whole + fraction).replace(/^0+(?=\d)/, '');
  if (exponent < 0) {
    const dropped = digits.slice(exponent);
    if (!/^0*$/.test(dropped)) return undefined;
    digits = digits.slice(0, exponent) || '0';
  } else if (exponent + digits.length > 400) {
    return undefined;
  } else {
    digits += '0'.repeat(exponent);
  }
  const value = BigInt(digits);
  return sign === '-' ? -value : value;
}

/**
 * JSON.stringify for plain data (what request bodies are), with bigints written as exact integer
 * literals instead of throwing. Like JSON.stringify, undefined and functions are left out of
 * objects and become null in arrays.
 */
export function stringifyExact(value: unknown): string {
  return stringifyItem(value) ?? 'null';
}

function stringifyItem(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    return `[${value.map((item) => stringifyItem(item) ?? 'null').join(',')}]`;
  }
  if (typeof value === 'object' && value !== null && !hasToJson(value)) {
    const fields: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      const text = stringifyItem(item);
      if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) as string | undefined;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
