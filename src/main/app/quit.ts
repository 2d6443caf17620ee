// Quitting gracefully: stop claiming, give a running job its grace period (shutdown_grace_secs),
// ship the last logs, flush error reports, and only then let the app exit. Every way out goes
// through here: the tray's Quit, "Quit after current job", the OS asking the app to quit
// (before-quit) and installing a downloaded update. Two exceptions: the end of the OS session
// (logout, shutdown) is never held back, since the OS would cancel the logout or kill us anyway;
// and an install that does not take over (the installer failed to start) hands back to the app.
import type { Clock } from '../../core/runtime/clock.js';
import { systemClock } from '../../core/runtime/clock.js';
import type { Worker } from '../../core/runtime/worker.js';
import { errorMessage } from '../../core/errors/message.js';
import type { AppPort, PreventableEvent } from '../ports.js';

export type QuitPhase =
  /** Working normally. */
  | 'running'
  /** "Quit after current job": no new jobs; quits when the running one ends. */
  | 'after-job'
  /** Stopping the worker (the running job has its grace period). */
  | 'stopping'
  /** Done: windows may close and the app may exit. */
  | 'exiting';

/** The hold that keeps the worker from claiming while it waits to quit. */
export const QUIT_HOLD = 'quit';
/** The hold that stops claiming when the OS ends the session. */
export const SESSION_END_HOLD = 'session-end';
/** How long after handing over to the installer the app must have begun to quit. */
export const INSTALL_QUIT_DEADLINE_MS = 15_000;

export interface QuitControllerDeps {
  worker: Pick<Worker, 'stop' | 'hold' | 'observers' | 'log'>;
  app: Pick<AppPort, 'quit'>;
  /** The last steps before exiting (flush error reports, remove the tray). */
  beforeExit: () => Promise<void>;
  /** Called when the phase changes (the tray shows it). */
  onPhaseChange?: (phase: QuitPhase) => void;
  /** The installer did not take over (`install` threw, or no quit followed in time). */
  onInstallFailed?: (message: string) => void;
  /** Times the installer's deadline (tests pass a manual clock); the system clock by default. */
  clock?: Pick<Clock, 'setTimer'>;
}

export interface QuitController {
  phase(): QuitPhase;
  /** True once the app may close its windows and exit. */
  isExiting(): boolean;
  /** Stops gracefully, then quits. Resolves when the worker is stopped and quit was asked. */
  quit(): Promise<void>;
  /** Quits once the running job has finished (at once when none runs); claims nothing new. */
  quitAfterCurrentJob(): void;
  /** Stops gracefully, then calls `install` (which quits into the installer) instead of quitting. */
  installUpdate(install: () => void): Promise<void>;
  /** Electron's before-quit: held back until the worker has stopped, except at session end. */
  onBeforeQuit(event: PreventableEvent): void;
  /** The OS ends the session: stop claiming, stop as far as it lets us, never hold it back. */
  endSession(): void;
}

export function createQuitController(deps: QuitControllerDeps): QuitController {
  const { worker } = deps;
  let phase: QuitPhase = 'running';
  let shutdown: Promise<void> | null = null;
  let sessionEnding = false;
  /** Resolves when before-quit arrives after the installer was started. */
  let quitSeen: (() => void) | null = null;

  const setPhase = (next: QuitPhase) => {
    phase = next;
    deps.onPhaseChange?.(next);
  };

  const stopThen = (exit: () => void | Promise<void>): Promise<void> => {
    if (!shutdown) {
      setPhase('stopping');
      shutdown = (async () => {
        try {
          await worker.stop();
        } catch (error) {
          worker.log.error('runtime', `stopping failed: ${errorMessage(error)}`);
        }
        try {
          await deps.beforeExit();
        } catch (error) {
          // Whatever failed in tidying up, the app must still be able to exit.
          worker.log.error('runtime', `before exit: ${errorMessage(error)}`);
        }
        setPhase('exiting');
        await exit();
      })();
    }
    return shutdown;
  };

  const controller: QuitController = {
    phase: () => phase,
    isExiting: () => phase === 'exiting',
    quit: () => stopThen(() => deps.app.quit()),
    quitAfterCurrentJob() {
      if (phase !== 'running') return;
      const job = worker.observers.currentJob;
      if (!job) {
        void controller.quit();
        return;
      }
      worker.hold(QUIT_HOLD, 'quitting after the current job');
      worker.log.info('runtime', `quitting once job ${job.id} has finished`, job.id);
      setPhase('after-job');
      const off = worker.observers.subscribe(() => {
        if (worker.observers.currentJob) return;
        off();
        void controller.quit();
      });
    },
    installUpdate: (install) =>
      stopThen(async () => {
        const quitting = new Promise<'quit'>((resolve) => {
          quitSeen = () => resolve('quit');
        });
        let failure: string | null = null;
        try {
          install();
        } catch (error) {
          failure = errorMessage(error);
        }
        if (failure === null) {
          // electron-updater's quitAndInstall returns without quitting when it cannot install.
          const clock = deps.clock ?? systemClock;
          let cancelDeadline = () => {};
          const deadline = new Promise<'timeout'>((resolve) => {
            cancelDeadline = clock.setTimer(() => resolve('timeout'), INSTALL_QUIT_DEADLINE_MS);
          });
          const waited = await Promise.race([quitting, deadline]);
          cancelDeadline();
          if (waited === 'quit') return;
          failure = `the installer did not start within ${INSTALL_QUIT_DEADLINE_MS / 1000} s`;
        }
        quitSeen = null;
        worker.log.error('update', `install failed: ${failure}`);
        deps.onInstallFailed?.(failure);
      }),
    onBeforeQuit(event) {
      if (phase === 'exiting') {
        quitSeen?.();
        return;
      }
      // A logout or shutdown: holding it back would cancel the logout (macOS) or be ignored.
      if (sessionEnding) return;
      event.preventDefault();
      void controller.quit();
    },
    endSession() {
      if (sessionEnding) return;
      sessionEnding = true;
      worker.hold(SESSION_END_HOLD, 'the session is ending');
      worker.log.warn(
        'runtime',
        'the session is ending: no new jobs; finished results stay in the spool for the next start',
      );
      void controller.quit();
    },
  };
  return controller;
}
