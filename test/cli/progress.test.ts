/** Terminal handling of progress output: the live line, plain lines off a terminal, the formats. Pure: no Neo4j. */
import { describe, expect, it } from 'vitest';
import { barGlyphs, formatCount, formatDuration, liveTerminal, phasedProgress, progressBar } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  return { chunks, isTTY, ...(columns === undefined ? {} : { columns }), write: (chunk: string) => chunks.push(chunk), text: () => chunks.join('') };
}

function fakeClock(start = 0) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => (now += ms);
  return clock;
}

describe('liveTerminal', () => {
  it('on a TTY redraws one line in place and prints permanent lines above it', () => {
    const stream = fakeStream(true);
    const term = liveTerminal(stream);
    expect(term.tty).toBe(true);
    term.live('train  epoch 1/3');
    term.live('train  epoch 2/3');
    term.line('a message');
    term.finish('train  done');
    expect(stream.chunks).toEqual(['\rtrain  epoch 1/3\x1b[K', '\rtrain  epoch 2/3\x1b[K', '\ra message\x1b[K\ntrain  epoch 2/3\x1b[K', '\rtrain  done\x1b[K\n']);
    // With no live line, a line is just a line; finishing without text clears the live line.
    term.line('after');
    term.live('x');
    term.finish();
    expect(stream.chunks.slice(4)).toEqual(['after\n', '\rx\x1b[K', '\r\x1b[K']);
  });

  it('cuts live lines to the terminal width so that they never wrap', () => {
    const stream = fakeStream(true, 10);
    liveTerminal(stream).live('0123456789abcdef');
    expect(stream.chunks).toEqual(['\r012345678\x1b[K']);
  });

  it('off a terminal has no live line: only plain lines', () => {
    const stream = fakeStream(false);
    const term = liveTerminal(stream);
    term.live('ignored');
    term.line('one');
    term.finish('two');
    term.finish();
    expect(stream.text()).toBe('one\ntwo\n');
    // tty can be forced either way.
    expect(liveTerminal(fakeStream(true), { tty: false }).tty).toBe(false);
  });
});

describe('formats', () => {
  it('groups thousands, writes durations compactly, draws bars', () => {
    expect(formatCount(52_310.4)).toBe('52,310');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(-4_200)).toBe('-4,200');
    expect(formatDuration(0.42)).toBe('0.4s');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(100)).toBe('1m40s');
    expect(formatDuration(3599)).toBe('59m59s');
    expect(formatDuration(7500)).toBe('2h05m');
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(barGlyphs(0.5, 10)).toBe('[#####.....]');
    expect(barGlyphs(2, 4)).toBe('[####]');
  });
});

describe('progressBar', () => {
  it('on a TTY redraws at most every 100 ms and finishes with a newline', () => {
    const stream = fakeStream(true);
    const clock = fakeClock(1000);
    const bar = progressBar('write-back', stream, clock);
    clock.advance(1000);
    bar.update(10, 100);
    clock.advance(50);
    bar.update(20, 100);
    clock.advance(100);
    bar.update(50, 100);
    bar.finish('done');
    expect(stream.chunks).toHaveLength(3);
    expect(stream.chunks[0]).toBe(`\rwrite-back     [${'#'.repeat(2)}${'.'.repeat(22)}]  10% 10/100 10 rows/s\x1b[K`);
    expect(stream.chunks[2]).toMatch(/^\rwrite-back +\[#{12}\.{12}\]  50% 50\/100 43 rows\/s, done\x1b\[K\n$/);
  });

  it('off a terminal prints a plain line at most every 5 s, the first after 5 s', () => {
    const stream = fakeStream(false);
    const clock = fakeClock(0);
    const bar = progressBar('re-split', stream, clock);
    for (let k = 1; k <= 12; k += 1) {
      clock.advance(1000);
      bar.update(k * 10, 120);
    }
    bar.finish();
    expect(stream.text()).toBe('re-split: 50/120 rows (41%), 10 rows/s\nre-split: 100/120 rows (83%), 10 rows/s\nre-split: 120/120 rows (100%), 10 rows/s\n');
  });

  it('phasedProgress finishes one bar when the next phase begins', () => {
    const stream = fakeStream(false);
    const clock = fakeClock(0);
    const phases = phasedProgress(stream, clock);
    clock.advance(1000);
    phases.update('nodes', 5, 5);
    phases.update('edges', 1, 2);
    clock.advance(1000);
    phases.finish();
    expect(stream.text().split('\n').filter(Boolean)).toEqual(['nodes: 5/5 rows (100%), 5000 rows/s', 'edges: 1/2 rows (50%), 1 rows/s']);
  });
});
