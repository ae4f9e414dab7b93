/**
 * Progress for long work: a redrawn bar with rows/s on a terminal, plain lines
 * at most every few seconds otherwise (CI logs, pipes). The terminal handling
 * (one live line redrawn in place, permanent lines printed above it) is
 * liveTerminal, shared with the training reporter (train/reporter.ts).
 */

/** What progress output needs of a stream; a NodeJS.WriteStream is one, and so is a fake in a test. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width; live lines are cut to it so that they never wrap (a wrapped line cannot be redrawn with \r). */
  readonly columns?: number;
}

/** Milliseconds, as Date.now. */
export type Clock = () => number;

/**
 * One live line at the bottom of a terminal. On a TTY `live` redraws it in
 * place (\r, text, clear to the end of the line), `line` prints a permanent
 * line above it and draws it again, and `finish` turns it into a permanent
 * line. Elsewhere there is no live line: `live` does nothing and `line` and
 * `finish` print plain lines.
 */
export interface LiveTerminal {
  readonly tty: boolean;
  live(text: string): void;
  line(text: string): void;
  /** Ends the live line: with text it stays as that line, without it is cleared. */
  finish(text?: string): void;
}

const CLEAR_TO_END = '\x1b[K';

export function liveTerminal(stream: OutputStream, options: { tty?: boolean } = {}): LiveTerminal {
  const tty = options.tty ?? stream.isTTY === true;
  let current: string | undefined;
  const fit = (text: string): string => {
    const columns = stream.columns;
    return columns !== undefined && columns > 1 && text.length > columns - 1 ? text.slice(0, columns - 1) : text;
  };
  return {
    tty,
    live(text) {
      if (!tty) return;
      current = fit(text);
      stream.write(`\r${current}${CLEAR_TO_END}`);
    },
    line(text) {
      if (!tty) {
        stream.write(`${text}\n`);
        return;
      }
      stream.write(current === undefined ? `${text}\n` : `\r${text}${CLEAR_TO_END}\n${current}${CLEAR_TO_END}`);
    },
    finish(text) {
      if (!tty) {
        if (text !== undefined) stream.write(`${text}\n`);
        return;
      }
      if (text !== undefined) stream.write(`\r${text}${CLEAR_TO_END}\n`);
      else if (current !== undefined) stream.write(`\r${CLEAR_TO_END}`);
      current = undefined;
    },
  };
}

/** 52310 -> "52,310" (no locale: the same on every machine). */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return `${sign}${String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** Seconds as "0.4s", "42s", "1m40s", "2h05m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** "[#####...]" for a fraction in [0, 1]. */
export function barGlyphs(fraction: number, width = 24): string {
  const filled = Math.max(0, Math.min(width, Math.round(width * (Number.isFinite(fraction) ? fraction : 1))));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export interface ProgressBar {
  update(done: number, total: number): void;
  finish(note?: string): void;
}

export function progressBar(label: string, stream: OutputStream = process.stderr, clock: Clock = Date.now): ProgressBar {
  const began = clock();
  const terminal = liveTerminal(stream);
  const tty = terminal.tty;
  // Non-TTY: the first line comes after 5 s, not at once with a meaningless rate.
  let lastDraw = tty ? Number.NEGATIVE_INFINITY : began;
  let lastDone = 0;
  let lastTotal = 0;
  const line = (done: number, total: number): string => {
    const seconds = Math.max((clock() - began) / 1000, 1e-3);
    const rate = Math.round(done / seconds);
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    if (!tty) return `${label}: ${done}/${total} rows (${percent}%), ${rate} rows/s`;
    return `${label.padEnd(14)} ${barGlyphs(percent / 100)} ${String(percent).padStart(3)}% ${done}/${total} ${rate} rows/s`;
  };
  return {
    update(done, total) {
      lastDone = done;
      lastTotal = total;
      const now = clock();
      if (tty && now - lastDraw >= 100) {
        terminal.live(line(done, total));
        lastDraw = now;
      } else if (!tty && done > 0 && now - lastDraw >= 5_000) {
        terminal.line(line(done, total));
        lastDraw = now;
      }
    },
    finish(note) {
      terminal.finish(`${line(lastDone, lastTotal)}${note ? `, ${note}` : ''}`);
    },
  };
}

/** One bar per named phase, each finished when the next begins. */
/**
 * One progress bar per phase. `offTerminal: 'silent'` draws nothing when the
 * stream is not a terminal (npm start's concise ingestion: its summary line says
 * how long it took).
 */
export function phasedProgress(stream: OutputStream = process.stderr, clock: Clock = Date.now, options: { readonly offTerminal?: 'lines' | 'silent' } = {}) {
  if (options.offTerminal === 'silent' && !liveTerminal(stream).tty) return { update() {}, finish() {} };
  let current: { phase: string; bar: ProgressBar } | undefined;
  return {
    update(phase: string, done: number, total: number) {
      if (current?.phase !== phase) {
        current?.bar.finish();
        current = { phase, bar: progressBar(phase, stream, clock) };
      }
      current.bar.update(done, total);
    },
    finish() {
      current?.bar.finish();
      current = undefined;
    },
  };
}
