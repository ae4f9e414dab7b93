/**
 * Progress for long work: a redrawn bar with rows/s on a terminal, plain lines
 * at most every few seconds otherwise (CI logs, pipes).
 */
export interface ProgressBar {
  update(done: number, total: number): void;
  finish(note?: string): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const began = Date.now();
  const tty = stream.isTTY === true;
  // Non-TTY: the first line comes after 5 s, not at once with a meaningless rate.
  let lastDraw = tty ? 0 : began;
  let lastDone = 0;
  let lastTotal = 0;
  const line = (done: number, total: number): string => {
    const seconds = Math.max((Date.now() - began) / 1000, 1e-3);
    const rate = Math.round(done / seconds);
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    if (!tty) return `${label}: ${done}/${total} rows (${percent}%), ${rate} rows/s`;
    const width = 24;
    const filled = Math.round((width * percent) / 100);
    return `${label.padEnd(14)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${done}/${total} ${rate} rows/s`;
  };
  return {
    update(done, total) {
      lastDone = done;
      lastTotal = total;
      const now = Date.now();
      if (tty && now - lastDraw >= 100) {
        stream.write(`\r${line(done, total)}\x1b[K`);
        lastDraw = now;
      } else if (!tty && done > 0 && now - lastDraw >= 5_000) {
        stream.write(`${line(done, total)}\n`);
        lastDraw = now;
      }
    },
    finish(note) {
      const text = `${line(lastDone, lastTotal)}${note ? `, ${note}` : ''}`;
      stream.write(tty ? `\r${text}\x1b[K\n` : `${text}\n`);
    },
  };
}

/** One bar per named phase, each finished when the next begins. */
export function phasedProgress(stream: NodeJS.WriteStream = process.stderr) {
  let current: { phase: string; bar: ProgressBar } | undefined;
  return {
    update(phase: string, done: number, total: number) {
      if (current?.phase !== phase) {
        current?.bar.finish();
        current = { phase, bar: progressBar(phase, stream) };
      }
      current.bar.update(done, total);
    },
    finish() {
      current?.bar.finish();
      current = undefined;
    },
  };
}
