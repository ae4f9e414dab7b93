/** The training reporter with a fake stream and clock: live lines on a TTY, short plain logs otherwise, quiet, verbose, the stop line and the metrics table. Pure: no Neo4j. */
import { describe, expect, it } from 'vitest';
import { describeEpoch, metricsTable, stopLine, stopReason, trainingReporter, type ReporterMode } from '../../src/cli/train/reporter.js';
import type { EpochRecord } from '../../src/train/trainer.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (chunk: string) => chunks.push(chunk), text: () => chunks.join('') };
}

function fakeClock() {
  let now = 1_000_000;
  const clock = () => now;
  clock.advance = (ms: number) => (now += ms);
  return clock;
}

/** What a terminal shows after the chunks: \r returns to the line start, ESC[K clears to its end, \n ends the line. */
function screen(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  let col = 0;
  for (let k = 0; k < text.length; k += 1) {
    if (text.startsWith('\x1b[K', k)) {
      line = line.slice(0, col);
      k += 2;
    } else if (text[k] === '\r') col = 0;
    else if (text[k] === '\n') {
      lines.push(line);
      line = '';
      col = 0;
    } else {
      line = line.slice(0, col) + text[k] + line.slice(col + 1);
      col += 1;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function epoch(n: number, validation?: number): EpochRecord {
  return {
    epoch: n,
    loss: 0.5 / n,
    meanGradMagnitude: 0.25,
    falseNegativeRate: 0.0123,
    seconds: 0.5,
    sampleSeconds: 0.1,
    stepSeconds: 0.4,
    pairsPerSecond: 52_310,
    ...(validation === undefined ? {} : { validation: { 'recall@20': validation, 'ndcg@20': validation / 2 }, evalSeconds: 0 }),
  };
}

/** 37 epochs of one second each (clock), 0.5 s measured, validated every 5 epochs; a new best until epoch 30. */
function trainPhase(mode: ReporterMode, tty: boolean) {
  const stream = fakeStream(tty);
  const clock = fakeClock();
  const reporter = trainingReporter({ metric: 'recall@20', mode, stream, clock });
  reporter.phase('train', { maxEpochs: 300 });
  for (let n = 1; n <= 37; n += 1) {
    clock.advance(1000);
    reporter.epoch(epoch(n, n % 5 === 0 ? (n <= 30 ? 0.01 * n : 0.29) : undefined));
  }
  return { stream, clock, reporter };
}

describe('trainingReporter on a terminal', () => {
  it('keeps one live line per phase, updated in place, and finalises it when the phase ends', () => {
    const { stream, clock, reporter } = trainPhase('normal', true);
    expect(reporter.tty).toBe(true);
    // Before the phase ends the screen is one line: the live one.
    expect(screen(stream.text())).toEqual(['train  epoch 37/300  loss 0.0135  52,310 pairs/s  ETA 2m12s  valid recall@20 0.2900 (epoch 35), best 0.3000 (epoch 30)']);
    reporter.info('a message');
    reporter.phase('test');
    clock.advance(1200);
    reporter.endPhase();
    reporter.phase('write-back');
    clock.advance(2000);
    reporter.progress(500, 1000);
    clock.advance(2000);
    reporter.progress(1000, 1000);
    reporter.endPhase('run 12');
    expect(screen(stream.text())).toEqual([
      'a message',
      'train  epoch 37/300  loss 0.0135  52,310 pairs/s  took 37s  valid recall@20 0.2900 (epoch 35), best 0.3000 (epoch 30)',
      'test  took 1.2s',
      'write-back  1,000/1,000 rows  250 rows/s  took 4.0s  run 12',
    ]);
  });

  it('shows the ETA and the validation of the example line', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const reporter = trainingReporter({ metric: 'recall@20', stream, clock });
    reporter.phase('train', { maxEpochs: 300 });
    for (let n = 1; n <= 37; n += 1) {
      clock.advance(400);
      reporter.epoch({ ...epoch(n, n === 35 ? 0.2911 : undefined), loss: 0.1234, seconds: 100 / 263 });
    }
    expect(screen(stream.text())).toEqual(['train  epoch 37/300  loss 0.1234  52,310 pairs/s  ETA 1m40s  valid recall@20 0.2911 (epoch 35)']);
  });

  it('redraws at most every 100 ms, except for validation points', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const reporter = trainingReporter({ metric: 'recall@20', stream, clock });
    reporter.phase('train', { maxEpochs: 100 });
    for (let n = 1; n <= 20; n += 1) {
      clock.advance(10);
      reporter.epoch(epoch(n, n === 13 ? 0.2 : undefined));
    }
    // The phase start, epoch 1, epoch 11 (100 ms after epoch 1), the validation at 13.
    expect(stream.chunks).toHaveLength(4);
    expect(screen(stream.text())[0]).toContain('epoch 13/100');
  });

  it('in verbose mode prints every epoch in full above the live line', () => {
    const { stream } = trainPhase('verbose', true);
    const lines = screen(stream.text());
    expect(lines).toHaveLength(38);
    expect(lines[0]).toBe(`train ${describeEpoch(epoch(1), 'recall@20')}`);
    expect(lines[4]).toBe('train epoch   5: loss 0.1000, 0.50s (52310 pairs/s), |grad| 0.250, false negatives 1.23%, valid recall@20 0.0500 (0.0s)');
    expect(lines[37]).toMatch(/^train  epoch 37\/300 /);
  });
});

describe('trainingReporter off a terminal', () => {
  it('prints a validation point that improves on the best, and otherwise at most one line every 10 s', () => {
    const { stream, reporter } = trainPhase('normal', false);
    reporter.endPhase();
    expect(stream.text()).not.toContain('\r');
    expect(stream.text().split('\n').filter(Boolean)).toEqual([
      'train  started: at most 300 epochs',
      'train  epoch 5/300  loss 0.1000  52,310 pairs/s  ETA 2m28s  valid recall@20 0.0500 (epoch 5)',
      'train  epoch 10/300  loss 0.0500  52,310 pairs/s  ETA 2m25s  valid recall@20 0.1000 (epoch 10)',
      'train  epoch 15/300  loss 0.0333  52,310 pairs/s  ETA 2m23s  valid recall@20 0.1500 (epoch 15)',
      'train  epoch 20/300  loss 0.0250  52,310 pairs/s  ETA 2m20s  valid recall@20 0.2000 (epoch 20)',
      'train  epoch 25/300  loss 0.0200  52,310 pairs/s  ETA 2m18s  valid recall@20 0.2500 (epoch 25)',
      'train  epoch 30/300  loss 0.0167  52,310 pairs/s  ETA 2m15s  valid recall@20 0.3000 (epoch 30)',
      'train  epoch 37/300  loss 0.0135  52,310 pairs/s  took 37s  valid recall@20 0.2900 (epoch 35), best 0.3000 (epoch 30)',
    ]);
  });

  it('prints an epoch line every 10 s between rare validations', () => {
    const stream = fakeStream(false);
    const clock = fakeClock();
    const reporter = trainingReporter({ metric: 'recall@20', stream, clock });
    reporter.phase('pre-train', { maxEpochs: 50, note: 'BPR with uniform negatives' });
    for (let n = 1; n <= 25; n += 1) {
      clock.advance(3000);
      reporter.epoch(epoch(n, n === 20 ? 0.1 : undefined));
    }
    const lines = stream.text().split('\n').filter(Boolean);
    expect(lines[0]).toBe('pre-train  started: BPR with uniform negatives, at most 50 epochs');
    // 3 s epochs: lines at epochs 4, 8, 12, 16 (>= 10 s apart), the validation at 20, then 24.
    expect(lines.slice(1).map((l) => /epoch (\d+)\//.exec(l)![1])).toEqual(['4', '8', '12', '16', '20', '24']);
  });

  it('in verbose mode prints every epoch as describeEpoch does', () => {
    const { stream } = trainPhase('verbose', false);
    const lines = stream.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(38);
    expect(lines.slice(1)).toEqual(Array.from({ length: 37 }, (_, k) => `train ${describeEpoch(epoch(k + 1, (k + 1) % 5 === 0 ? ((k + 1) <= 30 ? 0.01 * (k + 1) : 0.29) : undefined), 'recall@20')}`));
  });

  it('prints counted work at most every 10 s', () => {
    const stream = fakeStream(false);
    const clock = fakeClock();
    const reporter = trainingReporter({ metric: 'recall@20', stream, clock });
    reporter.phase('write-back');
    for (let k = 1; k <= 25; k += 1) {
      clock.advance(1000);
      reporter.progress(k * 100, 2500);
    }
    reporter.endPhase();
    expect(stream.text().split('\n').filter(Boolean)).toEqual([
      'write-back  [########............]  40%  1,000/2,500 rows  100 rows/s  ETA 15s',
      'write-back  [################....]  80%  2,000/2,500 rows  100 rows/s  ETA 5.0s',
      'write-back  2,500/2,500 rows  100 rows/s  took 25s',
    ]);
  });
});

describe('quiet mode', () => {
  for (const tty of [true, false]) {
    it(`prints only the summary and errors (${tty ? 'TTY' : 'not a TTY'})`, () => {
      const { stream, reporter } = trainPhase('quiet', tty);
      reporter.info('loaded the dataset');
      reporter.phase('test');
      reporter.endPhase();
      expect(stream.text()).toBe('');
      reporter.error('something failed');
      reporter.summary({ stop: 'stopped at epoch 37: interrupted; kept epoch 30 (valid recall@20 0.3000)', test: { 'recall@20': 0.2811 }, lines: ['metrics: out/metrics.json'] });
      expect(screen(stream.text())).toEqual(['something failed', 'stopped at epoch 37: interrupted; kept epoch 30 (valid recall@20 0.3000)', 'test:', '             @20', '  recall  0.2811', 'metrics: out/metrics.json']);
    });
  }
});

describe('the summary', () => {
  it('ends the live phase, then prints the stop line, the test table and the rest', () => {
    const { stream, reporter } = trainPhase('normal', true);
    reporter.summary({
      stop: 'stopped at epoch 37: no gain in 5 evaluations; kept epoch 30 (valid recall@20 0.3000)',
      testTitle: 'test (epoch 30, 1,892 users, 1.2s)',
      test: { 'recall@10': 0.1, 'recall@20': 0.2, 'ndcg@10': 0.05, 'ndcg@20': 0.075 },
    });
    expect(screen(stream.text())).toEqual([
      'train  epoch 37/300  loss 0.0135  52,310 pairs/s  took 37s  valid recall@20 0.2900 (epoch 35), best 0.3000 (epoch 30)',
      'stopped at epoch 37: no gain in 5 evaluations; kept epoch 30 (valid recall@20 0.3000)',
      'test (epoch 30, 1,892 users, 1.2s):',
      '             @10     @20',
      '  recall  0.1000  0.2000',
      '  ndcg    0.0500  0.0750',
    ]);
  });
});

describe('stopLine', () => {
  const epochs = Array.from({ length: 105 }, (_, k) => epoch(k + 1, (k + 1) % 5 === 0 ? ((k + 1) === 80 ? 0.2943 : 0.28) : undefined));
  const context = { metric: 'recall@20', patience: 5, evalEvery: 1, maxEpochs: 300 };

  it('says where and why training stopped and which epoch was kept', () => {
    const result = { epochs, bestEpoch: 80, bestValidation: { 'recall@20': 0.2943 }, stoppedEarly: true, interrupted: false };
    expect(stopLine(result, context)).toBe('stopped at epoch 105: no gain in 5 evaluations; kept epoch 80 (valid recall@20 0.2943)');
    expect(stopReason(result, { ...context, evalEvery: 5 })).toBe('no gain in 5 evaluations (one every 5 epochs)');
    expect(stopLine({ ...result, stoppedEarly: false, interrupted: true }, context)).toBe('stopped at epoch 105: interrupted; kept epoch 80 (valid recall@20 0.2943)');
  });

  it('covers runs that went to the limit or had a fixed number of epochs without validation', () => {
    const full = { epochs, bestEpoch: 80, bestValidation: { 'recall@20': 0.2943 }, stoppedEarly: false, interrupted: false };
    expect(stopLine(full, { ...context, maxEpochs: 105 })).toBe('trained 105 epochs: reached the 105-epoch limit; kept epoch 80 (valid recall@20 0.2943)');
    const fixed = { epochs: epochs.slice(0, 12).map((e) => ({ ...e, validation: undefined })), bestEpoch: 12, stoppedEarly: false, interrupted: false };
    expect(stopLine(fixed, { ...context, maxEpochs: undefined })).toBe('trained 12 epochs: ran its 12 epochs; kept epoch 12');
  });
});

describe('metricsTable', () => {
  it('aligns measures by cut-off and lists the others after them', () => {
    expect(metricsTable({ 'recall@20': 0.2811, 'recall@10': 0.2, 'ndcg@20': 0.15, 'precision@50': 0.01, 'imp.auc': 0.6789 })).toEqual([
      '              @10     @20     @50',
      'recall     0.2000  0.2811       -',
      'ndcg            -  0.1500       -',
      'precision       -       -  0.0100',
      'imp.auc    0.6789',
    ]);
  });
});
