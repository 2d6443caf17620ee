// The one reader of an HTTP answer's body with a size cap (studio client, server-backed engines,
// release feed): a peer that sends far more than any real answer cannot fill the worker's memory.
// Reading stops at the cap; leaving the loop destroys the stream, which closes the connection
// instead of reading on.

export interface CappedBody {
  /** The body, or its first `maxBytes` bytes when it was longer. */
  data: Buffer;
  /** The body went on past `maxBytes`. */
  truncated: boolean;
}

/**
 * Reads `body` up to `maxBytes`. `onChunk` hears the size of each chunk as it arrives, so a
 * caller can say how far a broken answer got.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onChunk?: (bytes: number) => void,
): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    onChunk?.(chunk.byteLength);
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (size + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - size));
      return { data: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { data: Buffer.concat(chunks), truncated: false };
}
