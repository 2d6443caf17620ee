// Parses a received multipart/form-data body with busboy, an independent parser, so the tests
// check the client's bytes against what a real server library reads from them.
import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';

export interface ParsedPart {
  name: string;
  filename?: string;
  mimeType?: string;
  value: Buffer;
}

/** The parts in the order they arrived. */
export function parseMultipart(headers: IncomingHttpHeaders, body: Buffer): Promise<ParsedPart[]> {
  return new Promise((resolve, reject) => {
    const parts: ParsedPart[] = [];
    const parser = busboy({ headers, preservePath: true, limits: { fieldSize: 10 * 1024 * 1024 } });
    parser.on('field', (name, value) => parts.push({ name, value: Buffer.from(value) }));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        parts.push({
          name,
          filename: info.filename,
          mimeType: info.mimeType,
          value: Buffer.concat(chunks),
        }),
      );
    });
    parser.on('close', () => resolve(parts));
    parser.on('error', reject);
    parser.end(body);
  });
}
