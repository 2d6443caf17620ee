import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contentTypeForExt, multipartBody } from '../../../src/core/studio/multipart.js';
import { contentTypeCases } from './fixtures.js';
import { parseMultipart } from './multipart-parse.js';
import { tempFiles } from './temp-files.js';

const files = tempFiles('multipart-');
const tempFile = files.file;
afterEach(() => files.cleanup());

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('contentTypeForExt', () => {
  it.each(contentTypeCases)('maps %s to %s', (ext, type) => {
    expect(contentTypeForExt(ext)).toBe(type);
  });

  it('ignores the case of the extension', () => {
    expect(contentTypeForExt('PNG')).toBe('image/png');
  });

  it.each(['jpg', 'bin', '', 'constructor'])(
    'maps unknown extension "%s" to octet-stream',
    (ext) => {
      expect(contentTypeForExt(ext)).toBe('application/octet-stream');
    },
  );
});

describe('multipartBody', () => {
  it('declares a content length equal to the bytes it yields', async () => {
    const path = await tempFile('a.bin', Buffer.alloc(3000, 7));
    const mp = await multipartBody([['prompt', 'héllo']], {
      field: 'image',
      filename: 'j.bin',
      contentType: 'application/octet-stream',
      path,
    });
    expect((await collect(mp.body)).length).toBe(mp.contentLength);
  });

  it('yields text fields in order, then the file part, as a parser reads them', async () => {
    const path = await tempFile('a.png', 'PNGDATA');
    const mp = await multipartBody(
      [
        ['prompt', 'a cat'],
        ['ext', 'png'],
      ],
      { field: 'image', filename: 'j-1.png', contentType: 'image/png', path },
    );
    const parts = await parseMultipart({ 'content-type': mp.contentType }, await collect(mp.body));
    expect(parts.map((p) => [p.name, p.filename, p.mimeType, p.value.toString()])).toEqual([
      ['prompt', undefined, undefined, 'a cat'],
      ['ext', undefined, undefined, 'png'],
      ['image', 'j-1.png', 'image/png', 'PNGDATA'],
    ]);
  });

  it('keeps the bytes of a text field unchanged, line feeds included', async () => {
    const path = await tempFile('a.png', '');
    const mp = await multipartBody([['prompt', 'line 1\nline 2\r\n']], {
      field: 'image',
      filename: 'j.png',
      contentType: 'image/png',
      path,
    });
    expect((await collect(mp.body)).toString()).toContain('\r\n\r\nline 1\nline 2\r\n\r\n--');
  });

  it('escapes quotes and line breaks in the file name', async () => {
    const path = await tempFile('a.png', 'x');
    const mp = await multipartBody([], {
      field: 'image',
      filename: 'a"b\nc.png',
      contentType: 'image/png',
      path,
    });
    expect((await collect(mp.body)).toString()).toContain('filename="a%22b%0Ac.png"');
  });

  it('rejects a missing file, naming its path', async () => {
    const path = join(tmpdir(), 'does-not-exist-studio-worker.png');
    await expect(
      multipartBody([], { field: 'image', filename: 'x', contentType: 'image/png', path }),
    ).rejects.toThrow(path);
  });
});
