// Quitting gracefully: stop claiming, give a running job its grace period (shutdown_grace_secs),
// ship the last logs, flush error reports, and only then let the app exit. Every way out goes
// through here: the tray's Quit, "Quit after current job", the OS asking the app to quit
// (before-quit) and installing a downloaded update.
import type { Worker } from '../../core/runtime/worker.js';
import { errorMessage } from '../../core/runtime/studio-state.js';
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

export interface QuitControllerDeps {
  worker: Pick<Worker, 'stop' | 'hold' | 'observers' | 'log'>;
  app: Pick<AppPort, 'quit'>;
  /** The last steps before exiting (flush error reports, remove the tray). */
  beforeExit: () => Promise<void>;
  /** Called when the phase changes (the tray shows it). */
  onPhaseChange?: (phase: QuitPhase) => void;
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
  /** Electron's before-quit: held back until the worker has stopped. */
  onBeforeQuit(event: PreventableEvent): void;
}

export function createQuitController(deps: QuitControllerDeps): QuitController {
  const { worker } = deps;
  let phase: QuitPhase = 'running';
  let shutdown: Promise<void> | null = null;

  const setPhase = (next: QuitPhase) => {
    phase = next;
    deps.onPhaseChange?.(next);
  };

  const stopThen = (exit: () => void): Promise<void> => {
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
        exit();
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
    installUpdate: (install) => stopThen(install),
    onBeforeQuit(event) {
      if (phase === 'exiting') return;
      event.preventDefault();
      void controller.quit();
    },
  };
  return controller;
}
