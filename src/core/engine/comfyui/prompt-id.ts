// The prompt_id a job gets in ComfyUI: a name-based UUID (version 5 layout, SHA-1 of a fixed
// namespace and the job id), so the same job has the same prompt_id after a worker restart and
// the worker can find its prompt again instead of queueing it twice.
import { createHash } from 'node:crypto';

/** Fixed for this worker, so its prompt ids never collide with another tool's name-based UUIDs. */
const NAMESPACE = Buffer.from('6b3c1e0a9f2d4c58a1e7b0d3c5f29e41', 'hex');

export function promptIdFor(jobId: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(jobId, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
