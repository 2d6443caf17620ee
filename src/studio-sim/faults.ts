// Fault injection: a seeded, replayable plan of what goes wrong on which route (error statuses,
// delays, dropped or hung connections, cut or garbled bodies, slow bodies, outages).
//
// Every fault but `afterEffect` is applied BEFORE the route's side effect, so a worker that sees
// the fault and retries never causes a duplicate. `afterEffect` is the other realistic case: the
// studio applied the call but the response was lost (connection dropped), so a worker that
// retries a `complete` then gets 409, and a retried `claim` leaves the first lease to expire.
import { z } from 'zod';
import { hashString, seededRandom } from './prng.js';
import { isRouteName, ROUTE_NAMES, type RequestRoute, type RouteName } from './routes.js';

export interface StatusFault {
  code: number;
  probability: number;
  /** Sent as a `Retry-After` header (whole seconds). */
  retryAfterSecs?: number;
}

export interface RouteFaults {
  /** Tried in order; the first that hits answers with its status and a JSON error body. */
  status?: StatusFault[];
  /** Waits `ms` before handling (combines with any other fault). */
  delayMs?: { ms: number; probability: number };
  /** Probability of destroying the connection without a response. */
  drop?: number;
  /** Probability of never answering (until the client gives up or the sim closes). */
  hang?: number;
  /** Probability of a 200 whose body is cut short and the connection closed (register, claim, releases). */
  truncate?: number;
  /** Probability of a 200 with a body that is not JSON (register, claim, releases). */
  malformed?: number;
  /** Probability of applying the call, then dropping the connection instead of answering. */
  afterEffect?: number;
  /** Sends every response body in 16-byte chunks, this many ms apart. */
  trickleMs?: number;
}

export interface FaultPlan {
  /** Seeds one random stream per route. Default 1. */
  seed?: number;
  /** While true every request's connection is dropped. */
  outage?: boolean;
  /** Faults per route; a route's own fields override those of '*'. */
  routes?: Partial<Record<RouteName | '*', RouteFaults>>;
}

export type FaultKind =
  | 'outage'
  | 'delay'
  | 'drop'
  | 'hang'
  | 'status'
  | 'truncate'
  | 'malformed'
  | 'after-effect'
  | 'trickle';

export interface InjectedFault {
  at: number;
  route: RequestRoute;
  kind: FaultKind;
  /** For `status` faults. */
  status?: number;
}

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'outage' }
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'status'; code: number; retryAfterSecs?: number }
  | { kind: 'truncate' }
  | { kind: 'malformed' }
  | { kind: 'after-effect' };

export interface FaultDecision {
  action: FaultAction;
  delayMs: number;
  trickleMs: number;
}

export interface FaultInjector {
  setPlan(plan: FaultPlan | undefined): void;
  /** Decides (and counts) the faults for one request. */
  decide(route: RequestRoute): FaultDecision;
  count(): number;
  log(): InjectedFault[];
}

/** Routes whose response body the worker reads: the only ones a cut or garbled body can hurt. */
const BODY_ROUTES: ReadonlySet<RouteName> = new Set(['register', 'claim', 'releases']);

const NO_FAULT: FaultDecision = { action: { kind: 'none' }, delayMs: 0, trickleMs: 0 };

const probability = z.number().min(0).max(1);

const routeFaultsSchema = z.strictObject({
  status: z
    .array(
      z.strictObject({
        code: z.number().int().min(100).max(599),
        probability,
        retryAfterSecs: z.number().int().nonnegative().optional(),
      }),
    )
    .optional(),
  delayMs: z.strictObject({ ms: z.number().nonnegative(), probability }).optional(),
  drop: probability.optional(),
  hang: probability.optional(),
  truncate: probability.optional(),
  malformed: probability.optional(),
  afterEffect: probability.optional(),
  trickleMs: z.number().nonnegative().optional(),
});

const faultPlanSchema = z.strictObject({
  seed: z.number().int().optional(),
  outage: z.boolean().optional(),
  routes: z.partialRecord(z.enum([...ROUTE_NAMES, '*']), routeFaultsSchema).optional(),
});

/** Throws, naming the bad field, when a plan is not well-formed. */
export function checkFaultPlan(plan: FaultPlan | undefined): FaultPlan | undefined {
  if (plan === undefined) return undefined;
  const result = faultPlanSchema.safeParse(plan);
  if (result.success) return plan;
  const issue = result.error.issues[0];
  throw new Error(
    `invalid fault plan: ${issue?.path.join('.') || '(plan)'}: ${issue?.message ?? 'unknown problem'}`,
  );
}

export function createFaultInjector(
  initial: FaultPlan | undefined,
  now: () => number,
): FaultInjector {
  let plan = checkFaultPlan(initial);
  let streams = new Map<RouteName, () => number>();
  const injected: InjectedFault[] = [];

  function note(route: RequestRoute, kind: FaultKind, status?: number): void {
    injected.push({ at: now(), route, kind, ...(status === undefined ? {} : { status }) });
  }

  // One stream per route, so a route's n-th request meets the same fate whatever the other
  // routes did in between (the heartbeat and claim loops interleave freely).
  function streamFor(route: RouteName): () => number {
    let stream = streams.get(route);
    if (!stream) {
      stream = seededRandom(hashString(`${plan?.seed ?? 1}:${route}`));
      streams.set(route, stream);
    }
    return stream;
  }

  function decide(route: RequestRoute): FaultDecision {
    if (!plan) return NO_FAULT;
    if (plan.outage) {
      note(route, 'outage');
      return { ...NO_FAULT, action: { kind: 'outage' } };
    }
    if (!isRouteName(route)) return NO_FAULT;
    const faults: RouteFaults = { ...plan.routes?.['*'], ...plan.routes?.[route] };
    const draw = streamFor(route);
    // Always draw once per slot, hit or not, so one request's luck never shifts the next one's.
    const delayHit = draw() < (faults.delayMs?.probability ?? 0);
    const dropHit = draw() < (faults.drop ?? 0);
    const hangHit = draw() < (faults.hang ?? 0);
    const statusHits = (faults.status ?? []).map((status) => draw() < status.probability);
    const truncateHit = draw() < (faults.truncate ?? 0) && BODY_ROUTES.has(route);
    const malformedHit = draw() < (faults.malformed ?? 0) && BODY_ROUTES.has(route);
    const afterEffectHit = draw() < (faults.afterEffect ?? 0);

    const delayMs = delayHit ? (faults.delayMs?.ms ?? 0) : 0;
    const trickleMs = faults.trickleMs ?? 0;
    if (delayMs > 0) note(route, 'delay');
    if (trickleMs > 0) note(route, 'trickle');
    const statusIndex = statusHits.indexOf(true);
    const status = statusIndex >= 0 ? faults.status?.[statusIndex] : undefined;

    let action: FaultAction = { kind: 'none' };
    if (dropHit) action = { kind: 'drop' };
    else if (hangHit) action = { kind: 'hang' };
    else if (status) {
      action = { kind: 'status', code: status.code, retryAfterSecs: status.retryAfterSecs };
    } else if (truncateHit) action = { kind: 'truncate' };
    else if (malformedHit) action = { kind: 'malformed' };
    else if (afterEffectHit) action = { kind: 'after-effect' };
    if (action.kind !== 'none') {
      note(route, action.kind, action.kind === 'status' ? action.code : undefined);
    }
    return { action, delayMs, trickleMs };
  }

  return {
    setPlan(next) {
      plan = checkFaultPlan(next);
      streams = new Map();
    },
    decide,
    count: () => injected.length,
    log: () => injected.map((fault) => ({ ...fault })),
  };
}
