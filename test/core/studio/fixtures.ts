// Shared inputs for the studio client's tests: capabilities, credentials and a valid claimed job.
import type { Capabilities, Credentials } from '../../../src/core/studio/api.js';

export const capabilities: Capabilities = {
  machineName: 'gpu-box',
  username: 'ada',
  agentVersion: '0.2.0',
  engine: 'synthetic',
  vramTotalGb: 24,
  vramThresholdGb: 16,
  autoEnabled: true,
  autoStart: false,
  supportedModels: ['flux', 'llama'],
  taskKinds: ['image', 'llm'],
  supportedModelsPerKind: { image: ['flux'], llm: ['llama'] },
};

export const creds: Credentials = { workerId: 'w-1', authToken: 'tok-secret-123' };

export const job = {
  jobId: 'j-1',
  gameId: 'g-1',
  assetName: 'hero',
  model: 'flux',
  vramGbEstimate: 8,
};

/** PROTOCOL.md's content type per result extension, plus one that is not listed. */
export const contentTypeCases: Array<[ext: string, type: string]> = [
  ['png', 'image/png'],
  ['webp', 'image/webp'],
  ['wav', 'audio/wav'],
  ['mp3', 'audio/mpeg'],
  ['mp4', 'video/mp4'],
  ['gif', 'application/octet-stream'],
];
