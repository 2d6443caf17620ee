// The studio's worker registry: who registered, their auth tokens, their latest capabilities,
// and what they sent in heartbeats and log batches.
import { randomBytes } from 'node:crypto';
import type { Capabilities, LogEntry } from './schemas.js';
import type { HeartbeatRecord, LogRecord, WorkerView } from './views.js';

export interface RegistrySettings {
  now: () => number;
  changed: () => void;
}

export type Authorization = { ok: true } | { ok: false; status: 401 | 404; message: string };

export interface WorkerRegistry {
  /** Registers a new worker, or re-registers a known `workerId` with a fresh token. */
  register(
    capabilities: Capabilities,
    requestedId: string | undefined,
  ): { workerId: string; authToken: string };
  /** Checks that `token` is the current token of worker `workerId`. */
  authorize(token: string | undefined, workerId: string): Authorization;
  heartbeat(workerId: string, capabilities: Capabilities, currentJobId: string | undefined): void;
  addLogs(workerId: string, entries: readonly LogEntry[]): void;
  /** Invalidates the worker's token; it gets 401 until it registers again. */
  revoke(workerId: string): void;
  capabilitiesOf(workerId: string): Capabilities | undefined;
  list(): WorkerView[];
  heartbeats(workerId?: string): HeartbeatRecord[];
  logs(workerId?: string): LogRecord[];
}

interface WorkerEntry {
  view: WorkerView;
  token: string | undefined;
}

// Long on purpose (over 120 lines): the registry's methods share the workers map; one short
// method per protocol step (register, authorize, heartbeat, logs, revoke).
export function createWorkerRegistry(settings: RegistrySettings): WorkerRegistry {
  const { now, changed } = settings;
  const workers = new Map<string, WorkerEntry>();
  const owners = new Map<string, string>();
  const heartbeats: HeartbeatRecord[] = [];
  const logs: LogRecord[] = [];

  function setToken(entry: WorkerEntry): string {
    if (entry.token !== undefined) owners.delete(entry.token);
    const token = randomBytes(24).toString('base64url');
    entry.token = token;
    owners.set(token, entry.view.workerId);
    return token;
  }

  function register(capabilities: Capabilities, requestedId: string | undefined) {
    const known = requestedId === undefined ? undefined : workers.get(requestedId);
    let entry: WorkerEntry;
    if (known) {
      entry = known;
      entry.view.capabilities = structuredClone(capabilities);
      entry.view.machineName = capabilities.machineName;
      entry.view.registrations += 1;
      entry.view.revoked = false;
    } else {
      let n = workers.size + 1;
      while (workers.has(`w-${n}`)) n += 1;
      const view: WorkerView = {
        workerId: `w-${n}`,
        machineName: capabilities.machineName,
        capabilities: structuredClone(capabilities),
        registeredAt: now(),
        registrations: 1,
        revoked: false,
      };
      entry = { view, token: undefined };
      workers.set(view.workerId, entry);
    }
    const authToken = setToken(entry);
    changed();
    return { workerId: entry.view.workerId, authToken };
  }

  function authorize(token: string | undefined, workerId: string): Authorization {
    if (token === undefined) {
      return { ok: false, status: 401, message: 'missing Authorization: Bearer <authToken>' };
    }
    const owner = owners.get(token);
    if (owner === undefined) {
      return {
        ok: false,
        status: 401,
        message: 'auth token is unknown or revoked — register again for a new one',
      };
    }
    if (!workers.has(workerId)) return { ok: false, status: 404, message: `no worker ${workerId}` };
    if (owner !== workerId) {
      return {
        ok: false,
        status: 401,
        message: `auth token does not belong to worker ${workerId}`,
      };
    }
    return { ok: true };
  }

  function entryOf(workerId: string): WorkerEntry {
    const entry = workers.get(workerId);
    if (!entry) throw new Error(`no worker ${workerId}`);
    return entry;
  }

  return {
    register,
    authorize,
    heartbeat(workerId, capabilities, currentJobId) {
      const { view } = entryOf(workerId);
      const at = now();
      view.capabilities = structuredClone(capabilities);
      view.machineName = capabilities.machineName;
      view.lastHeartbeatAt = at;
      if (currentJobId === undefined) delete view.currentJobId;
      else view.currentJobId = currentJobId;
      const record: HeartbeatRecord = { workerId, at, capabilities: structuredClone(capabilities) };
      if (currentJobId !== undefined) record.currentJobId = currentJobId;
      heartbeats.push(record);
      changed();
    },
    addLogs(workerId, entries) {
      const receivedAt = now();
      for (const entry of entries) {
        const record: LogRecord = {
          workerId,
          receivedAt,
          ts: entry.ts,
          level: entry.level,
          category: entry.category,
          message: entry.message,
        };
        if (entry.jobId !== undefined) record.jobId = entry.jobId;
        logs.push(record);
      }
      changed();
    },
    revoke(workerId) {
      const entry = workers.get(workerId);
      if (!entry) throw new Error(`revokeWorker: no worker ${workerId} to revoke`);
      if (entry.token !== undefined) owners.delete(entry.token);
      entry.token = undefined;
      entry.view.revoked = true;
      changed();
    },
    capabilitiesOf: (workerId) => workers.get(workerId)?.view.capabilities,
    list: () => [...workers.values()].map((entry) => structuredClone(entry.view)),
    heartbeats: (workerId) =>
      heartbeats
        .filter((record) => workerId === undefined || record.workerId === workerId)
        .map((record) => structuredClone(record)),
    logs: (workerId) =>
      logs
        .filter((record) => workerId === undefined || record.workerId === workerId)
        .map((record) => ({ ...record })),
  };
}
