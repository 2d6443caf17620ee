// Child processes of the benchmark: the real `studio-worker` CLI, and bench scripts that run the
// worker side of a measurement in a process of its own (so its CPU time and memory are its own).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** bin/studio-worker.js, seen from dist/bench/. */
export const CLI_BIN = fileURLToPath(new URL('../../bin/studio-worker.js', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  /** The last few KB of stdout and stderr, for error messages. */
  tail(): string;
}

const TAIL_BYTES = 4096;

function track(child: ChildProcess): Spawned {
  if (child.pid === undefined) throw new Error('could not start a child process');
  let tail = '';
  const keep = (data: Buffer) => {
    tail = (tail + data.toString()).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, pid: child.pid, exited, tail: () => tail };
}

/** Starts `studio-worker <args>`; its output is read (so it never blocks) and kept as a tail. */
export function spawnCli(args: string[]): Spawned {
  return track(spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** A bare Node process that only runs a 1 s timer: the floor of what an idle process costs. */
export function spawnIdleNode(): Spawned {
  return track(
    spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** Asks for a graceful stop, then kills after `graceMs`. */
export async function stopProcess(proc: Spawned, graceMs = 5_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

type ChildReply<O> = { ok: true; output: O } | { ok: false; error: string };

/**
 * Runs dist/bench/<script> in a fresh Node process (with --expose-gc) that calls childMain, hands
 * it `input` and resolves with what it returns.
 */
export async function runChild<I, O>(script: string, input: I, timeoutMs: number): Promise<O> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const proc = track(
    spawn(process.execPath, ['--expose-gc', file, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  let reply: ChildReply<O> | undefined;
  proc.child.on('message', (message) => (reply = message as ChildReply<O>));
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  if (reply?.ok) return reply.output;
  const why = reply ? reply.error : `exited with ${code ?? 'a signal'} (limit ${timeoutMs} ms)`;
  throw new Error(`${script}: ${why}\n${proc.tail()}`);
}

/** The body of a child script: reads its input from argv, sends back the result, exits. */
export async function childMain<I, O>(work: (input: I) => Promise<O>): Promise<void> {
  let reply: ChildReply<O>;
  try {
    reply = { ok: true, output: await work(JSON.parse(process.argv[2] ?? 'null') as I) };
  } catch (error) {
    reply = {
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  await new Promise<void>((resolve) => process.send!(reply, () => resolve()));
  // The worker's sockets and timers must not keep the child alive once it has answered.
  process.exit(0);
}

/** Triggers a full collection when the process runs with --expose-gc. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Whether the module at `moduleUrl` is the script Node was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === moduleUrl;
}
