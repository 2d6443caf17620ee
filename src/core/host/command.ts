// The CommandRunner port: runs a driver tool (nvidia-smi, rocm-smi, system_profiler, …) as a
// child process with an argument array — never through a shell — and a hard time limit, and
// says plainly what happened. The probes depend on the port, so tests can hand in a fake.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { errorMessage } from '../errors/message.js';

/** What running one driver tool came to. */
export type ToolResult =
  | { kind: 'ok'; stdout: string }
  /** The tool is not on PATH. */
  | { kind: 'missing' }
  /** It could not start, exited non-zero, was killed, or printed far too much. */
  | { kind: 'failed'; message: string }
  | { kind: 'timeout'; timeoutMs: number };

export type CommandRunner = (
  file: string,
  args: readonly string[],
  timeoutMs: number,
) => Promise<ToolResult>;

/** GPU tools print a few KiB; anything past this is not output we can use. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * Tool output as text. wmic writes UTF-16LE when its output is not a console; everything else
 * writes UTF-8 (perhaps with a BOM).
 */
export function decodeToolOutput(bytes: Buffer): string {
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0);
  const text = utf16 ? bytes.toString('utf16le') : bytes.toString('utf8');
  return text.replace(/^\uFEFF/, '');
}

/** The first line worth showing of what a failed tool printed, cut to 200 characters. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}

/**
 * Ends the tool and anything it started. On POSIX the tool leads its own process group, so a
 * wrapper script's children (which would keep the pipes open) go too.
 */
function killTree(child: ChildProcess): void {
  try {
    if (process.platform !== 'win32' && child.pid !== undefined)
      process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/**
 * The real runner. Tools are looked up on PATH (`env.PATH`, default the process's). The
 * promise settles by `timeoutMs` whatever the tool does: a hung driver cannot hold a caller.
 */
export function createCommandRunner(opts: { env?: NodeJS.ProcessEnv } = {}): CommandRunner {
  return (file, args, timeoutMs) =>
    new Promise<ToolResult>((resolve) => {
      let settled = false;
      const settle = (result: ToolResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      let child: ChildProcess;
      try {
        child = spawn(file, [...args], {
          env: opts.env ?? process.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
          detached: process.platform !== 'win32',
        });
      } catch (error) {
        resolve({ kind: 'failed', message: `could not start: ${errorMessage(error)}` });
        return;
      }
      // Events come asynchronously, after this is set. Real time, not the Clock port: the child
      // is a real process whose run time no manual clock controls.
      const timer = setTimeout(() => {
        killTree(child);
        settle({ kind: 'timeout', timeoutMs });
      }, timeoutMs);

      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT_BYTES) {
          killTree(child);
          settle({ kind: 'failed', message: `printed more than ${MAX_OUTPUT_BYTES} bytes` });
          return;
        }
        into.push(chunk);
      };
      child.stdout?.on('data', collect(out));
      child.stderr?.on('data', collect(err));

      child.on('error', (error: NodeJS.ErrnoException) => {
        killTree(child);
        settle(
          error.code === 'ENOENT'
            ? { kind: 'missing' }
            : { kind: 'failed', message: `could not start: ${error.message}` },
        );
      });
      child.on('close', (code, signal) => {
        const stdout = decodeToolOutput(Buffer.concat(out));
        if (code === 0) return settle({ kind: 'ok', stdout });
        const said = firstLine(decodeToolOutput(Buffer.concat(err))) || firstLine(stdout);
        const how =
          code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
        settle({ kind: 'failed', message: said ? `${how}: ${said}` : how });
      });
    });
}
