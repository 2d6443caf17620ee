// What the desktop does as the worker's snapshot changes, beyond the tray and the window: keep
// start-at-login in step with auto_start, and show the opt-in notifications. Each follower is a
// subscription handed back as a Disposable, so the shell ends it when the app stops.
import type { Disposable } from '../../core/runtime/disposables.js';
import { toDisposable } from '../../core/runtime/disposables.js';
import { errorMessage } from '../../core/errors/message.js';
import type { Worker } from '../../core/runtime/worker.js';
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import type { NotifierPort } from '../ports.js';
import { applyAutoStart } from './autostart.js';
import { notificationsFor } from './notifications.js';

type Followed = Pick<Worker, 'observers' | 'configStore' | 'log'>;

/** Calls `onChange(before, next)` for each new snapshot until disposed. */
function followSnapshots(
  worker: Followed,
  onChange: (before: WorkerSnapshot, next: WorkerSnapshot) => void,
): Disposable {
  let previous = worker.observers.snapshot();
  return toDisposable(
    worker.observers.subscribe(() => {
      const next = worker.observers.snapshot();
      if (next === previous) return;
      const before = previous;
      previous = next;
      onChange(before, next);
    }),
  );
}

export interface AutoStartFollower extends Disposable {
  /** Applies auto_start now, unless it is already applied as configured. */
  sync(): Promise<void>;
}

/** Applies auto_start at once and again whenever the setting changes. */
export function followAutoStart(deps: {
  worker: Followed;
  app: Parameters<typeof applyAutoStart>[0]['app'];
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}): AutoStartFollower {
  const { worker } = deps;
  const log = worker.log;
  let applied: boolean | null = null;
  const sync = async () => {
    const enabled = worker.configStore.current().auto_start;
    if (enabled === applied) return;
    applied = enabled;
    try {
      const change = await applyAutoStart({
        enabled,
        app: deps.app,
        platform: deps.platform,
        env: deps.env,
      });
      if (change === 'skipped-development')
        log.info('desktop', 'auto_start is not applied to a development build');
      else if (change !== 'unchanged')
        log.info('desktop', `start at login ${enabled ? 'on' : 'off'}`);
    } catch (error) {
      applied = null;
      log.warn('desktop', `could not change start at login: ${errorMessage(error)}`);
    }
  };
  const following = followSnapshots(worker, (before, next) => {
    if (next.settings.autoStart !== before.settings.autoStart) void sync();
  });
  void sync();
  return { sync, dispose: () => following.dispose() };
}

/** Shows a notification for each change that deserves one, while `notifications` is on. */
export function followNotifications(worker: Followed, notifier: NotifierPort): Disposable {
  return followSnapshots(worker, (before, next) => {
    if (!worker.configStore.current().notifications || !notifier.isSupported()) return;
    for (const notice of notificationsFor(before, next))
      notifier.show({ title: notice.title, body: notice.body });
  });
}
