/**
 * What a training run tells the person watching it. On a terminal each phase
 * (pre-train, train, refit, test, write-back) has ONE live line redrawn in
 * place and finalised when the phase ends:
 *
 *   train  epoch 37/300  loss 0.1234  52,310 pairs/s  ETA 1m40s  valid recall@20 0.2911 (epoch 35)
 *
 * Elsewhere (logs, pipes) it prints plain lines: every validation point and at
 * most one epoch line every `plainIntervalSeconds`. Modes: quiet (the summary
 * and errors only), normal, verbose (every epoch in full, as describeEpoch).
 * The stream and the clock are injected, so tests drive it with fakes.
 */
import type { EpochRecord, TrainResult } from '../../train/trainer.js';
import { barGlyphs, formatCount, formatDuration, liveTerminal, type Clock, type OutputStream } from '../progress.js';

export type TrainPhase = 'pre-train' | 'train' | 'refit' | 'test' | 'write-back';
export type ReporterMode = 'quiet' | 'normal' | 'verbose';

export interface ReporterOptions {
  /** The selection metric shown on the live line (a key of EpochRecord.validation). */
  readonly metric: string;
  readonly mode?: ReporterMode;
  /** Default process.stdout. */
  readonly stream?: OutputStream;
  /** Milliseconds; default Date.now. */
  readonly clock?: Clock;
  /** Off a terminal: at most one epoch (or progress) line this often. Default 10. */
  readonly plainIntervalSeconds?: number;
  /** Overrides stream.isTTY. */
  readonly tty?: boolean;
}

export interface PhaseOptions {
  /** Epochs at most (the ETA is to this). */
  readonly maxEpochs?: number;
  /** Shown when the phase starts, e.g. "BPR with uniform negatives". */
  readonly note?: string;
}

export interface RunSummary {
  /** A stop line (stopLine). */
  readonly stop?: string;
  /** Heading of the metrics table, e.g. "test (epoch 80, 1,892 users, 1.2s)"; default "test". */
  readonly testTitle?: string;
  readonly test?: Record<string, number>;
  /** Anything else, e.g. where metrics.json and the curve went. */
  readonly lines?: readonly string[];
}

export interface TrainingReporter {
  readonly mode: ReporterMode;
  readonly tty: boolean;
  /** Starts a phase; the one before ends (as endPhase()). */
  phase(name: TrainPhase | (string & {}), options?: PhaseOptions): void;
  /** One epoch of the current phase (the trainer's onEpoch); a record with validation is a validation point. */
  epoch(record: EpochRecord): void;
  /** A validation point that came without an epoch record (e.g. the warm start validated once). */
  validation(epoch: number, metrics: Record<string, number>, seconds?: number): void;
  /** Counted work in the current phase (write-back rows, test users). */
  progress(done: number, total: number, unit?: string): void;
  /** Ends the current phase: on a terminal its live line stays as the final one; note is appended. */
  endPhase(note?: string): void;
  /** A message line (normal and verbose), printed above the live line. */
  info(line: string): void;
  /** info, bound: a drop-in for runTraining's print. */
  readonly print: (line: string) => void;
  /** Printed in every mode. */
  error(line: string): void;
  /** Ends the current phase, then prints the summary, in every mode. */
  summary(summary: RunSummary): void;
  /** Ends the current phase, if any (call from a finally). */
  close(): void;
}

interface PhaseState {
  readonly name: string;
  readonly began: number;
  readonly maxEpochs?: number;
  epochs: number;
  lastEpoch?: number;
  loss?: number;
  pairsPerSecond?: number;
  /** Sum of epoch and validation seconds, for the ETA. */
  measuredSeconds: number;
  pairs: number;
  trainSeconds: number;
  valid?: { epoch: number; value: number };
  best?: { epoch: number; value: number };
  done?: number;
  total?: number;
  unit: string;
  lastPlain: number;
  lastPlainBest?: number | undefined;
  lastDraw: number;
}

export function trainingReporter(options: ReporterOptions): TrainingReporter {
  const { metric } = options;
  const mode = options.mode ?? 'normal';
  const clock = options.clock ?? Date.now;
  const stream = options.stream ?? process.stdout;
  const terminal = liveTerminal(stream, options.tty === undefined ? {} : { tty: options.tty });
  const tty = terminal.tty;
  const plainMs = (options.plainIntervalSeconds ?? 10) * 1000;
  const quiet = mode === 'quiet';
  let current: PhaseState | undefined;

  const validFields = (p: PhaseState): string[] => {
    if (!p.valid) return [];
    let text = `valid ${metric} ${p.valid.value.toFixed(4)} (epoch ${p.valid.epoch})`;
    if (p.best && p.best.epoch !== p.valid.epoch) text += `, best ${p.best.value.toFixed(4)} (epoch ${p.best.epoch})`;
    return [text];
  };

  /** The phase's line: live (with the ETA) or final (with the time it took). */
  const phaseLine = (p: PhaseState, final: boolean): string => {
    const fields: string[] = [p.name];
    const elapsed = (clock() - p.began) / 1000;
    if (p.epochs > 0) {
      fields.push(`epoch ${p.lastEpoch}${p.maxEpochs ? `/${p.maxEpochs}` : ''}`);
      if (p.loss !== undefined && Number.isFinite(p.loss)) fields.push(`loss ${p.loss.toFixed(4)}`);
      const rate = final ? (p.trainSeconds > 0 ? p.pairs / p.trainSeconds : Number.NaN) : p.pairsPerSecond;
      if (rate !== undefined && Number.isFinite(rate)) fields.push(`${formatCount(rate)} pairs/s`);
      if (final) fields.push(`took ${formatDuration(elapsed)}`);
      else if (p.maxEpochs && p.lastEpoch !== undefined && p.maxEpochs > p.lastEpoch) {
        fields.push(`ETA ${formatDuration(((p.maxEpochs - p.lastEpoch) * p.measuredSeconds) / p.epochs)}`);
      }
      fields.push(...validFields(p));
    } else if (p.total !== undefined && p.done !== undefined) {
      const fraction = p.total > 0 ? p.done / p.total : 1;
      if (!final) fields.push(`${barGlyphs(fraction, 20)} ${String(Math.floor(100 * fraction)).padStart(3)}%`);
      fields.push(`${formatCount(p.done)}/${formatCount(p.total)} ${p.unit}`);
      if (elapsed > 0) fields.push(`${formatCount(p.done / elapsed)} ${p.unit}/s`);
      if (final) fields.push(`took ${formatDuration(elapsed)}`);
      else if (p.done > 0 && p.total > p.done) fields.push(`ETA ${formatDuration((elapsed * (p.total - p.done)) / p.done)}`);
    } else {
      fields.push(final ? `took ${formatDuration(elapsed)}` : p.maxEpochs ? `starting, at most ${p.maxEpochs} epochs` : `running ${formatDuration(elapsed)}`);
      fields.push(...validFields(p));
    }
    return fields.join('  ');
  };

  const draw = (p: PhaseState, force: boolean) => {
    const now = clock();
    if (!force && now - p.lastDraw < 100) return;
    p.lastDraw = now;
    terminal.live(phaseLine(p, false));
  };

  const plain = (p: PhaseState, text: string) => {
    terminal.line(text);
    p.lastPlain = clock();
  };

  const endPhase = (note?: string) => {
    const p = current;
    if (!p) return;
    current = undefined;
    if (quiet) return;
    const text = `${phaseLine(p, true)}${note ? `  ${note}` : ''}`;
    terminal.finish(text);
  };

  const noteValidation = (p: PhaseState, epoch: number, value: number | undefined) => {
    if (value === undefined || !Number.isFinite(value)) return false;
    p.valid = { epoch, value };
    if (!p.best || value > p.best.value) p.best = { epoch, value };
    return true;
  };

  const info = (line: string) => {
    if (!quiet) terminal.line(line);
  };

  const reporter: TrainingReporter = {
    mode,
    tty,
    phase(name, phaseOptions = {}) {
      endPhase();
      const now = clock();
      current = {
        name,
        began: now,
        ...(phaseOptions.maxEpochs === undefined ? {} : { maxEpochs: phaseOptions.maxEpochs }),
        epochs: 0,
        measuredSeconds: 0,
        pairs: 0,
        trainSeconds: 0,
        unit: 'rows',
        lastPlain: now,
        lastDraw: Number.NEGATIVE_INFINITY,
      };
      if (quiet) return;
      if (tty) {
        if (phaseOptions.note) terminal.line(`${name}: ${phaseOptions.note}`);
        draw(current, true);
      } else if (phaseOptions.maxEpochs || phaseOptions.note) {
        // Phases without epochs (test, write-back) say only how they ended: logs stay short.
        const limit = phaseOptions.maxEpochs ? `at most ${phaseOptions.maxEpochs} epochs` : '';
        const extra = [phaseOptions.note ?? '', limit].filter(Boolean).join(', ');
        terminal.line(`${name}  started${extra ? `: ${extra}` : ''}`);
      }
    },
    epoch(record) {
      current ??= reporterPhase('train', clock);
      const p = current;
      p.epochs += 1;
      p.lastEpoch = record.epoch;
      p.loss = record.loss;
      p.pairsPerSecond = record.pairsPerSecond;
      p.measuredSeconds += record.seconds + (record.evalSeconds ?? 0);
      if (Number.isFinite(record.pairsPerSecond) && Number.isFinite(record.seconds)) {
        p.pairs += record.pairsPerSecond * record.seconds;
        p.trainSeconds += record.seconds;
      }
      const validated = noteValidation(p, record.epoch, record.validation?.[metric]);
      if (quiet) return;
      if (mode === 'verbose') {
        if (tty) {
          terminal.line(`${p.name} ${describeEpoch(record, metric)}`);
          draw(p, true);
        } else plain(p, `${p.name} ${describeEpoch(record, metric)}`);
        return;
      }
      if (tty) draw(p, validated || p.epochs === 1);
      // Not a terminal: a line at most every plainIntervalSeconds, and at a validation that improved on the best.
      else if ((validated && p.best?.epoch === record.epoch && p.best.epoch !== p.lastPlainBest && clock() - p.lastPlain >= plainMs / 4) || clock() - p.lastPlain >= plainMs) {
        p.lastPlainBest = p.best?.epoch;
        plain(p, phaseLine(p, false));
      }
    },
    validation(epoch, metrics, seconds) {
      current ??= reporterPhase('train', clock);
      const p = current;
      if (!noteValidation(p, epoch, metrics[metric]) || quiet) return;
      if (tty) draw(p, true);
      else plain(p, `${p.name}  valid ${metric} ${metrics[metric]!.toFixed(4)} (epoch ${epoch})${seconds === undefined ? '' : `, ${seconds.toFixed(1)}s`}`);
    },
    progress(done, total, unit) {
      current ??= reporterPhase('work', clock);
      const p = current;
      p.done = done;
      p.total = total;
      if (unit) p.unit = unit;
      if (quiet) return;
      if (tty) draw(p, false);
      else if (done > 0 && clock() - p.lastPlain >= plainMs) plain(p, phaseLine(p, false));
    },
    endPhase,
    info,
    print: info,
    error(line) {
      terminal.line(line);
    },
    summary(summary) {
      endPhase();
      const lines: string[] = [];
      if (summary.stop) lines.push(summary.stop);
      if (summary.test && Object.keys(summary.test).length > 0) {
        lines.push(`${summary.testTitle ?? 'test'}:`);
        lines.push(...metricsTable(summary.test).map((row) => `  ${row}`));
      }
      lines.push(...(summary.lines ?? []));
      for (const line of lines) terminal.line(line);
    },
    close() {
      endPhase();
    },
  };
  return reporter;
}

function reporterPhase(name: string, clock: Clock): PhaseState {
  const now = clock();
  return { name, began: now, epochs: 0, measuredSeconds: 0, pairs: 0, trainSeconds: 0, unit: 'rows', lastPlain: now, lastDraw: Number.NEGATIVE_INFINITY };
}

/** One epoch in full, as runTraining has printed it: loss, seconds, pairs/s, |grad|, false-negative rate, validation. */
export function describeEpoch(e: EpochRecord, metric: string): string {
  const value = e.validation?.[metric];
  const validation = e.validation ? `, valid ${metric} ${(value ?? Number.NaN).toFixed(4)} (${(e.evalSeconds ?? 0).toFixed(1)}s)` : '';
  // Non-sampling models have no negatives to describe.
  const negatives = Number.isNaN(e.meanGradMagnitude) ? '' : `, |grad| ${e.meanGradMagnitude.toFixed(3)}, false negatives ${(100 * e.falseNegativeRate).toFixed(2)}%`;
  return `epoch ${String(e.epoch).padStart(3)}: loss ${e.loss.toFixed(4)}, ${e.seconds.toFixed(2)}s (${Math.round(e.pairsPerSecond)} pairs/s)${negatives}${validation}`;
}

export type StopResult = Pick<TrainResult, 'epochs' | 'bestEpoch' | 'bestValidation' | 'stoppedEarly' | 'interrupted'>;

export interface StopContext {
  readonly metric: string;
  /** Validations without a gain before stopping (TrainerConfig.patience). */
  readonly patience: number;
  /** Epochs between validations (TrainerConfig.evalEvery). */
  readonly evalEvery: number;
  /** The epoch limit, to say that training ran to it. */
  readonly maxEpochs?: number;
}

/** Why training ended, for the curve's `reason`: "no gain in 5 evaluations", "interrupted", "reached the 300-epoch limit", "ran its 80 epochs". */
export function stopReason(result: StopResult, context: StopContext): string {
  const last = result.epochs.length ? result.epochs[result.epochs.length - 1]!.epoch : 0;
  if (result.interrupted) return 'interrupted';
  if (result.stoppedEarly) {
    const every = context.evalEvery > 1 ? ` (one every ${context.evalEvery} epochs)` : '';
    return `no gain in ${context.patience} evaluation${context.patience === 1 ? '' : 's'}${every}`;
  }
  if (context.maxEpochs !== undefined && last >= context.maxEpochs) return `reached the ${context.maxEpochs}-epoch limit`;
  return `ran its ${last} epoch${last === 1 ? '' : 's'}`;
}

/** "stopped at epoch 105: no gain in 5 evaluations; kept epoch 80 (valid recall@20 0.2943)". */
export function stopLine(result: StopResult, context: StopContext): string {
  const last = result.epochs.length ? result.epochs[result.epochs.length - 1]!.epoch : 0;
  const atBest = result.epochs.find((e) => e.epoch === result.bestEpoch)?.validation?.[context.metric];
  const value = atBest ?? result.bestValidation?.[context.metric];
  const what = result.bestEpoch === 0 ? 'kept the warm start (epoch 0)' : `kept epoch ${result.bestEpoch}`;
  const kept = `${what}${value === undefined || !Number.isFinite(value) ? '' : ` (valid ${context.metric} ${value.toFixed(4)})`}`;
  const reason = stopReason(result, context);
  const head = result.interrupted || result.stoppedEarly ? `stopped at epoch ${last}: ${reason}` : `trained ${last} epoch${last === 1 ? '' : 's'}: ${reason}`;
  return `${head}; ${kept}`;
}

/**
 * Metrics as an aligned table: one row per measure (recall, ndcg, ...), one
 * column per cut-off (@10, @20, @50); metrics without a cut-off (imp.auc)
 * follow, one per row. Missing cells are "-".
 */
export function metricsTable(metrics: Record<string, number>, decimals = 4): string[] {
  const measures: string[] = [];
  const cutoffs: number[] = [];
  const cells = new Map<string, number>();
  const plainMetrics: Array<[string, number]> = [];
  for (const [key, value] of Object.entries(metrics)) {
    const match = /^(.+)@(\d+)$/.exec(key);
    if (!match) {
      plainMetrics.push([key, value]);
      continue;
    }
    const [, measure, k] = match as unknown as [string, string, string];
    if (!measures.includes(measure)) measures.push(measure);
    if (!cutoffs.includes(Number(k))) cutoffs.push(Number(k));
    cells.set(`${measure}@${k}`, value);
  }
  cutoffs.sort((a, b) => a - b);
  const format = (v: number | undefined) => (v === undefined ? '-' : Number.isFinite(v) ? v.toFixed(decimals) : String(v));
  const nameWidth = Math.max(0, ...measures.map((m) => m.length), ...plainMetrics.map(([name]) => name.length));
  const columns = cutoffs.map((k) => {
    const values = measures.map((m) => format(cells.get(`${m}@${k}`)));
    return { header: `@${k}`, values, width: Math.max(`@${k}`.length, ...values.map((v) => v.length)) };
  });
  const rows: string[] = [];
  if (measures.length > 0) {
    rows.push([' '.repeat(nameWidth), ...columns.map((c) => c.header.padStart(c.width))].join('  ').trimEnd());
    measures.forEach((m, r) => rows.push([m.padEnd(nameWidth), ...columns.map((c) => c.values[r]!.padStart(c.width))].join('  ')));
  }
  for (const [name, value] of plainMetrics) rows.push(`${name.padEnd(nameWidth)}  ${format(value)}`);
  return rows;
}
