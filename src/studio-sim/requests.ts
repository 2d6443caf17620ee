// The request log: one record per HTTP request the sim received, and how it was answered.
import type { FaultKind } from './faults.js';
import type { RequestRoute } from './routes.js';
import type { RequestRecord } from './views.js';

export interface RequestLog {
  /** Records an arriving request; call `finish` on the returned handle once it is answered. */
  start(method: string, path: string, route: RequestRoute): RequestHandle;
  list(): RequestRecord[];
}

export interface RequestHandle {
  setFault(kind: FaultKind): void;
  finish(status: number | null): RequestRecord;
}

export function createRequestLog(now: () => number, changed: () => void): RequestLog {
  const records: RequestRecord[] = [];
  return {
    start(method, path, route) {
      const record: RequestRecord = {
        seq: records.length + 1,
        at: now(),
        method,
        path,
        route,
        status: null,
      };
      records.push(record);
      const started = performance.now();
      let finished = false;
      return {
        setFault(kind) {
          record.fault = kind;
        },
        finish(status) {
          if (!finished) {
            finished = true;
            record.status = status;
            record.durationMs = Math.round(performance.now() - started);
            changed();
          }
          return { ...record };
        },
      };
    },
    list: () => records.map((record) => ({ ...record })),
  };
}
