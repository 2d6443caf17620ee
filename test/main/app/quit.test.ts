import { describe, expect, it, vi } from 'vitest';
import type { CurrentJob } from '../../../src/shared/snapshot.js';
import {
  createQuitController,
  INSTALL_QUIT_DEADLINE_MS,
  QUIT_HOLD,
  SESSION_END_HOLD,
} from '../../../src/main/app/quit.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { preventable } from '../fakes.js';

/** A worker stand-in whose stop resolves when the test says so. */
function fakeWorker() {
  let job: CurrentJob | null = null;
  const listeners = new Set<() => void>();
  let finishStop!: () => void;
  const worker = {
    stop: vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finishStop = resolve;
        }),
    ),
    hold: vi.fn(),
    log: { info: vi.fn(), warn: vi.fn(), error: vi.fn(), log: vi.fn(), redact: (t: string) => t },
    observers: {
      get currentJob() {
        return job;
      },
      subscribe(l: () => void) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
  };
  return {
    worker,
    setJob(next: CurrentJob | null) {
      job = next;
      for (const l of [...listeners]) l();
    },
    finishStop: () => finishStop(),
  };
}

const JOB: CurrentJob = {
  id: 'j-1',
  kind: 'image',
  model: 'm',
  promptPreview: '',
  startedAt: '2026-05-16T00:00:00.000Z',
};

function setup() {
  const f = fakeWorker();
  const app = { quit: vi.fn() };
  const beforeExit = vi.fn(async () => undefined);
  const phases: string[] = [];
  const clock = manualClock();
  const quit = createQuitController({
    worker: f.worker as never,
    app,
    beforeExit,
    onPhaseChange: (p) => phases.push(p),
    clock,
  });
  return { ...f, app, beforeExit, phases, quit, clock };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('createQuitController', () => {
  it('quits only after the worker has stopped and the last steps ran', async () => {
    const t = setup();
    const done = t.quit.quit();
    await settle();
    expect(t.quit.phase()).toBe('stopping');
    expect(t.app.quit).not.toHaveBeenCalled();
    t.finishStop();
    await done;
    expect(t.beforeExit).toHaveBeenCalledOnce();
    expect(t.app.quit).toHaveBeenCalledOnce();
    expect(t.phases).toEqual(['stopping', 'exiting']);
  });

  it('stops once however often quitting is asked for', async () => {
    const t = setup();
    const a = t.quit.quit();
    const b = t.quit.quit();
    expect(t.quit.onBeforeQuit(preventable())).toBeUndefined();
    t.finishStop();
    await Promise.all([a, b]);
    expect(t.worker.stop).toHaveBeenCalledOnce();
    expect(t.app.quit).toHaveBeenCalledOnce();
  });

  it('holds before-quit back until exiting, then lets it through', async () => {
    const t = setup();
    const first = preventable();
    t.quit.onBeforeQuit(first);
    expect(first.prevented).toBe(true);
    t.finishStop();
    await settle();
    await settle();
    expect(t.quit.isExiting()).toBe(true);
    const second = preventable();
    t.quit.onBeforeQuit(second);
    expect(second.prevented).toBe(false);
  });

  it('after the current job: holds claiming, waits for the job, then quits', async () => {
    const t = setup();
    t.setJob(JOB);
    t.quit.quitAfterCurrentJob();
    expect(t.worker.hold).toHaveBeenCalledWith(QUIT_HOLD, 'quitting after the current job');
    expect(t.quit.phase()).toBe('after-job');
    expect(t.worker.stop).not.toHaveBeenCalled();
    t.setJob(null);
    expect(t.worker.stop).toHaveBeenCalledOnce();
    t.finishStop();
    await settle();
    await settle();
    expect(t.app.quit).toHaveBeenCalledOnce();
  });

  it('installing an update stops gracefully, then hands over to the installer instead of quitting', async () => {
    const t = setup();
    const install = vi.fn();
    const done = t.quit.installUpdate(install);
    t.finishStop();
    await t.clock.settle();
    expect(install).toHaveBeenCalledOnce();
    expect(t.app.quit).not.toHaveBeenCalled();
    // The installer quits the app: the install is over without the deadline ever passing.
    t.quit.onBeforeQuit(preventable());
    await done;
    expect(t.clock.now()).toBe(0);
    expect(t.app.quit).not.toHaveBeenCalled();
  });
});

describe('createQuitController at an install that does not take over', () => {
  function installSetup() {
    const f = fakeWorker();
    const app = { quit: vi.fn() };
    const clock = manualClock();
    const failures: string[] = [];
    const quit = createQuitController({
      worker: f.worker as never,
      app,
      beforeExit: async () => undefined,
      onInstallFailed: (m) => failures.push(m),
      // The deadline passes when the test says so.
      clock,
    });
    return { ...f, app, quit, failures, clock };
  }

  it('hands back to the app when the installer returns without quitting', async () => {
    const t = installSetup();
    const done = t.quit.installUpdate(() => undefined);
    t.finishStop();
    await settle();
    await settle();
    await t.clock.advance(INSTALL_QUIT_DEADLINE_MS - 1);
    expect(t.failures).toEqual([]);
    await t.clock.advance(1);
    await done;
    expect(t.failures).toEqual(['the installer did not start within 15 s']);
  });

  it('hands back at once when the installer throws', async () => {
    const t = installSetup();
    const done = t.quit.installUpdate(() => {
      throw new Error('no installer for this package');
    });
    t.finishStop();
    await done;
    expect(t.failures).toEqual(['no installer for this package']);
  });

  it('does nothing more when the app quits into the installer', async () => {
    const t = installSetup();
    const done = t.quit.installUpdate(() => undefined);
    t.finishStop();
    await settle();
    await settle();
    expect(t.quit.onBeforeQuit(preventable())).toBeUndefined();
    await done;
    // The deadline was cancelled with the quit: nothing is left to fire.
    expect(t.clock.pending()).toBe(0);
    await t.clock.advance(INSTALL_QUIT_DEADLINE_MS);
    expect(t.failures).toEqual([]);
  });
});

describe('createQuitController at the end of the OS session', () => {
  it('stops claiming, starts stopping and lets the logout through', () => {
    const t = setup();
    t.setJob(JOB);
    t.quit.endSession();
    expect(t.worker.hold).toHaveBeenCalledWith(SESSION_END_HOLD, 'the session is ending');
    expect(t.worker.stop).toHaveBeenCalledOnce();
    const event = preventable();
    t.quit.onBeforeQuit(event);
    expect(event.prevented).toBe(false);
  });
});

describe('createQuitController when tidying up fails', () => {
  it('still quits', async () => {
    const f = fakeWorker();
    const app = { quit: vi.fn() };
    const quit = createQuitController({
      worker: f.worker as never,
      app,
      beforeExit: () => Promise.reject(new Error('tray already gone')),
    });
    const done = quit.quit();
    f.finishStop();
    await done;
    expect(app.quit).toHaveBeenCalledOnce();
    expect(f.worker.log.error).toHaveBeenCalledWith('runtime', 'before exit: tray already gone');
  });
});
