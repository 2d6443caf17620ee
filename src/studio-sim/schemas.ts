// One zod schema per body a worker sends to the studio (PROTOCOL.md), checked as strictly as
// the protocol words them, so that the sim catches a worker that drifts from the protocol.
import { z } from 'zod';

export const TASK_KINDS = ['image', 'llm', 'audio_stt', 'audio_tts', 'video'] as const;

function isSortedAndUnique(list: readonly string[]): boolean {
  return list.every((value, index) => index === 0 || list[index - 1]! < value);
}

function isInKindOrder(kinds: readonly string[]): boolean {
  const positions = kinds.map((kind) => (TASK_KINDS as readonly string[]).indexOf(kind));
  return positions.every((position, index) => index === 0 || positions[index - 1]! < position);
}

export const capabilitiesSchema = z.looseObject({
  machineName: z.string().min(1),
  username: z.string(),
  agentVersion: z.string().min(1),
  engine: z.string().min(1),
  vramTotalGb: z.number().nonnegative(),
  vramThresholdGb: z.number().nonnegative(),
  autoEnabled: z.boolean(),
  autoStart: z.boolean(),
  supportedModels: z
    .array(z.string().min(1))
    .refine(isSortedAndUnique, 'must be sorted and de-duplicated'),
  taskKinds: z
    .array(z.enum(TASK_KINDS))
    .refine(
      isInKindOrder,
      'must list each kind once, in the order image, llm, audio_stt, audio_tts, video',
    ),
  supportedModelsPerKind: z.record(z.string(), z.array(z.string())),
});

/** What a worker says it can do, as last sent on register or heartbeat. */
export type Capabilities = z.infer<typeof capabilitiesSchema>;

export const registerBodySchema = z.looseObject({
  bootstrapToken: z.string(),
  capabilities: capabilitiesSchema,
  // Optional in the protocol; null is read as "none", as a lenient studio would.
  workerId: z.string().min(1).nullish(),
});

export const heartbeatBodySchema = z.looseObject({
  capabilities: capabilitiesSchema,
  currentJobId: z.string().min(1).nullish(),
});

export const completeJsonBodySchema = z.looseObject({
  jobId: z.string().min(1),
  prompt: z.string(),
  result: z.unknown().refine((value) => value !== undefined, 'is required'),
  resultKind: z.literal('json'),
});

export const failBodySchema = z.looseObject({
  error: z.string(),
  retryable: z.boolean(),
});

const RFC3339_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const logEntrySchema = z.looseObject({
  ts: z
    .string()
    .regex(
      RFC3339_UTC_MILLIS,
      'must be RFC 3339 UTC with milliseconds, like 2026-05-16T00:00:00.000Z',
    )
    .refine((ts) => !Number.isNaN(Date.parse(ts)), 'is not a real date'),
  level: z.enum(['info', 'warn', 'error']),
  category: z.string(),
  message: z.string(),
  // The protocol says jobId is omitted when there is none, so null is a protocol error.
  jobId: z.string().min(1).optional(),
});

export type LogEntry = z.infer<typeof logEntrySchema>;

export const logsBodySchema = z.looseObject({ entries: z.array(logEntrySchema) });

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates `value`; on failure says which fields were wrong: `<what> is invalid — a.b: …`. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): Parsed<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, message: `${what} is invalid — ${issues}` };
}
