/** Acting on a child process at a moment it announces itself, instead of after a timer. */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The preload that makes a child's progress output a terminal's (see as-terminal.mjs): `node --import AS_TERMINAL`. */
export const AS_TERMINAL = fileURLToPath(new URL('./as-terminal.mjs', import.meta.url));

// Cursor and erase sequences of a redrawn terminal line (\r TEXT ESC[K).
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export interface SignalledAt<T> {
  /** What `moment` returned for the line. */
  readonly value: T;
  /** The line, without terminal escapes. */
  readonly line: string;
  /** Everything the child wrote so far, stdout and stderr interleaved (still growing: the pipes stay drained). */
  output(): string;
}

/**
 * Reads the child's stdout and stderr line by line (a terminal line redrawn in
 * place with \r counts as a line each time it is drawn) and hands each line to
 * `moment`; at the first line for which `moment` gives a value (it may look
 * at the database first), sends `signal` to the child and resolves. Rejects,
 * with the child's output, when the child ends before such a line. The child
 * must be spawned with stdout and stderr piped.
 */
export async function signalAtLine<T>(
  child: ChildProcess,
  signal: NodeJS.Signals,
  moment: (line: string) => T | undefined | Promise<T | undefined>,
): Promise<SignalledAt<T>> {
  if (!child.stdout || !child.stderr) throw new Error('signalAtLine needs the child spawned with stdout and stderr piped');
  let output = '';
  let closed = false;
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      const parts = (partial + text).split(/\r|\n/);
      partial = parts.pop() ?? '';
      // A redrawn line ends with "erase to the end of the line", not with a newline: it is whole already.
      if (partial.endsWith('\x1b[K')) {
        parts.push(partial);
        partial = '';
      }
      for (const part of parts) {
        const line = part.replace(ANSI, '').trim();
        if (line !== '') lines.push(line);
      }
      wake?.();
    });
  }
  child.once('close', () => {
    closed = true;
    wake?.();
  });
  for (;;) {
    while (lines.length > 0) {
      const line = lines.shift()!;
      const value = await moment(line);
      if (value !== undefined) {
        child.kill(signal);
        return { value, line, output: () => output };
      }
    }
    if (closed) {
      throw new Error(`the child ended (${child.signalCode ?? `exit code ${child.exitCode}`}) before the line the test waits for; its output:\n${output}`);
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
}
