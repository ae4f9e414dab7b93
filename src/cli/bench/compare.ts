/**
 * The loop the sampler-comparison benches share (bench samplers, bench
 * exposure-samplers, bench rns-beta): cells of typed train settings, each
 * trained once per seed through trainOptionsFrom and runTraining, its test
 * metrics, validation metric, kept epoch, pre-training epochs, seconds and
 * sampler counters collected per seed and aggregated (mean and sample sd).
 *
 * Also the config grammars those benches take on the command line, parsed to
 * typed settings by settingFromText (each value checked as its train flag
 * would be, before any database is opened):
 *
 * - samplers: `model:sampler[:region[:khop]][:key=value...]`
 * - exposure: `sampler[:key=value...]`
 */
import path from 'node:path';
import type { QueryRunner } from '../../graph/query-runner.js';
import { KgnegError } from '../../graph/errors.js';
import { settingFromText, trainOptionsFrom, type TrainOptions } from '../train/options.js';
import { runTraining, SILENT, type RunReport } from '../train/run.js';
import { barChartSvg } from './bars.js';
import { meanAndSpread } from './result.js';

/** One configuration to compare: its name in the results and the train settings (camelCase, as trainOptionsFrom takes them). */
export interface CompareCell {
  readonly label: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export type Spread = ReturnType<typeof meanAndSpread>;

/** What one seed of one cell gave. */
export interface SeedRun {
  readonly seed: number;
  /** Test metrics of the kept epoch, by name (NaN where the run has none of that name). */
  readonly test: Readonly<Record<string, number>>;
  /** The selection's validation value of CompareOptions.validationMetric (default the run's select metric). */
  readonly validation: number;
  readonly validationMetric: string;
  readonly bestEpoch: number;
  /** The pre-training's kept epoch (rns*, kgpolicy), else null. */
  readonly pretrainEpoch: number | null;
  readonly seconds: number;
  readonly samplerStats: Readonly<Record<string, number>>;
  readonly backend: string;
}

/** One cell over its seeds. */
export interface CellResult {
  readonly label: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly seeds: readonly number[];
  readonly runs: readonly SeedRun[];
  /** Mean and spread over seeds of each of CompareOptions.metrics. */
  readonly test: Readonly<Record<string, Spread>>;
  readonly validation: Spread;
  readonly bestEpochs: number[];
  readonly pretrainEpochs: Array<number | null>;
  readonly seconds: number[];
  readonly samplerStats: Array<Record<string, number>>;
}

export interface CompareOptions {
  /** Test metrics to aggregate (recall@20, imp.auc, ...). */
  readonly metrics: readonly string[];
  /** Validation metric to record per seed; default each run's select metric. */
  readonly validationMetric?: string;
  /** Test metrics named in each seed's log line; default the first three of metrics. */
  readonly logMetrics?: readonly string[];
  /** Each run's metrics.json and curve go to <runDir>/<dataset>-<label>-seed<seed>. */
  readonly runDir: string;
  readonly log: (line: string) => void;
}

/**
 * Trains every cell on every seed, in order. All train options are resolved
 * (and so checked) before the first run: a bad cell stops the bench at once,
 * not after hours of the cells before it.
 */
export async function compareConfigs(runner: QueryRunner, cells: readonly CompareCell[], seeds: readonly number[], options: CompareOptions): Promise<CellResult[]> {
  const planned = cells.map((cell) => ({ cell, runs: seeds.map((seed) => ({ seed, train: cellTrainOptions(cell, seed, options.runDir) })) }));
  const logMetrics = options.logMetrics ?? options.metrics.slice(0, 3);
  const results: CellResult[] = [];
  for (const { cell, runs } of planned) {
    const done: SeedRun[] = [];
    for (const { seed, train } of runs) {
      const run = seedRun(seed, await runTraining(runner, train, SILENT), options.validationMetric);
      done.push(run);
      options.log(seedLine(cell.label, run, logMetrics));
    }
    results.push(aggregateCell(cell, done, options.metrics));
  }
  return results;
}

/** The validated train options of one cell and seed: no write-back, K = 20, its own run directory. */
export function cellTrainOptions(cell: CompareCell, seed: number, runDir: string): TrainOptions {
  const dataset = typeof cell.settings['dataset'] === 'string' ? cell.settings['dataset'] : 'dataset';
  return trainOptionsFrom({
    writeBack: false,
    ks: [20],
    out: path.join(runDir, `${dataset}-${cell.label}-seed${seed}`.replace(/[^A-Za-z0-9._-]+/g, '_')),
    ...cell.settings,
    seed,
  });
}

/** What a bench keeps of one run's report. */
export function seedRun(seed: number, report: Pick<RunReport, 'final' | 'bestEpoch' | 'metrics'>, validationMetric?: string): SeedRun {
  const metrics = report.metrics;
  const metric = validationMetric ?? metrics.selectMetric;
  return {
    seed,
    test: report.final,
    validation: metrics.bestValidation?.[metric] ?? Number.NaN,
    validationMetric: metric,
    bestEpoch: report.bestEpoch,
    pretrainEpoch: metrics.pretrain?.bestEpoch ?? null,
    seconds: metrics.timings.totalSeconds,
    samplerStats: metrics.samplerStats,
    backend: metrics.backend.name,
  };
}

/** Mean and spread per metric over a cell's seeds, with the per-seed lists. */
export function aggregateCell(cell: CompareCell, runs: readonly SeedRun[], metrics: readonly string[]): CellResult {
  return {
    label: cell.label,
    settings: cell.settings,
    seeds: runs.map((r) => r.seed),
    runs,
    test: Object.fromEntries(metrics.map((m) => [m, meanAndSpread(runs.map((r) => r.test[m] ?? Number.NaN))])),
    validation: meanAndSpread(runs.map((r) => r.validation)),
    bestEpochs: runs.map((r) => r.bestEpoch),
    pretrainEpochs: runs.map((r) => r.pretrainEpoch),
    seconds: runs.map((r) => r.seconds),
    samplerStats: runs.map((r) => ({ ...r.samplerStats })),
  };
}

function seedLine(label: string, run: SeedRun, metrics: readonly string[]): string {
  const test = metrics.map((m) => `${m} ${fixed(run.test[m])}`).join(', ');
  const pretrain = run.pretrainEpoch === null ? '' : `, pre-train epoch ${run.pretrainEpoch}`;
  return `${label} seed ${run.seed} on ${run.backend}: test ${test} (epoch ${run.bestEpoch}${pretrain}, validation ${run.validationMetric} ${fixed(run.validation)}, ${run.seconds.toFixed(0)}s)`;
}

function fixed(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(4);
}

/** A grouped bar chart of some of the cells' test metrics (mean, +-1 sd). */
export function comparisonChart(
  results: ReadonlyArray<Pick<CellResult, 'label' | 'test'>>,
  metrics: readonly string[],
  text: { readonly title: string; readonly subtitle?: string; readonly yLabel?: string },
): string {
  return barChartSvg({ ...text, series: metrics, groups: results.map((r) => ({ label: r.label, values: metrics.map((m) => r.test[m]) })) });
}

// ---- config grammars -------------------------------------------------------

function configError(kind: string, config: string, why: string, grammar: string): KgnegError {
  return new KgnegError(`bench: ${kind} config '${config}': ${why}`, { hint: `a config is ${grammar}`, exitCode: 2 });
}

function typed(kind: string, config: string, grammar: string, key: string, text: string): unknown {
  try {
    return settingFromText(key, text);
  } catch (error) {
    if (error instanceof KgnegError) throw new KgnegError(`bench: ${kind} config '${config}': ${error.message}`, { hint: error.hint ?? `a config is ${grammar}`, exitCode: 2 });
    throw error;
  }
}

/** `key=value` parts typed as their train flags; a part without '=' is refused. */
function keyValues(kind: string, config: string, grammar: string, parts: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    const at = part.indexOf('=');
    if (at <= 0) throw configError(kind, config, `'${part}' is not key=value`, grammar);
    const key = part.slice(0, at);
    if (key in out) throw configError(kind, config, `'${key}' is set twice`, grammar);
    out[key] = typed(kind, config, grammar, key, part.slice(at + 1));
  }
  return out;
}

const SAMPLERS_GRAMMAR = 'model:sampler[:region[:khop]][:key=value...], e.g. mf:dns, lightgcn:recns:distant:3, mf:sdns:softFactor=0.1';

/** bench samplers: `model:sampler[:region[:khop]][:key=value...]` (model default mf, sampler default uniform). */
export function parseSamplersConfig(config: string): Record<string, unknown> {
  const parts = config.split(':');
  const positional: string[] = [];
  while (parts.length > 0 && !parts[0]!.includes('=')) positional.push(parts.shift()!);
  if (positional.length > 4) throw configError('samplers', config, `${positional.length} positional parts, at most 4`, SAMPLERS_GRAMMAR);
  const [model = 'mf', sampler = 'uniform', region, khop] = positional.map((p) => (p === '' ? undefined : p));
  const settings: Record<string, unknown> = {
    model: typed('samplers', config, SAMPLERS_GRAMMAR, 'model', model),
    sampler: typed('samplers', config, SAMPLERS_GRAMMAR, 'sampler', sampler),
    ...(region === undefined ? {} : { region: typed('samplers', config, SAMPLERS_GRAMMAR, 'region', region) }),
    ...(khop === undefined ? {} : { khop: typed('samplers', config, SAMPLERS_GRAMMAR, 'khop', khop) }),
  };
  const rest = keyValues('samplers', config, SAMPLERS_GRAMMAR, parts);
  for (const key of Object.keys(rest)) if (key in settings) throw configError('samplers', config, `'${key}' is set twice`, SAMPLERS_GRAMMAR);
  return { ...settings, ...rest };
}

const EXPOSURE_GRAMMAR = 'sampler[:key=value...], e.g. rns-es:beta=0.5, rns:sigma=21:exposedInPool=false';

/** bench exposure-samplers: `sampler[:key=value...]` (sampler default uniform). */
export function parseExposureConfig(config: string): Record<string, unknown> {
  const [sampler = '', ...parts] = config.split(':');
  return { sampler: typed('exposure', config, EXPOSURE_GRAMMAR, 'sampler', sampler === '' ? 'uniform' : sampler), ...keyValues('exposure', config, EXPOSURE_GRAMMAR, parts) };
}

/** A comma list of a bench flag, each value typed as the train option `key` (seeds: seed, soft factors: softFactor, ...). */
export function parseListFlag(flag: string, key: string, text: string): unknown[] {
  return text.split(',').map((part) => {
    try {
      return settingFromText(key, part.trim());
    } catch (error) {
      if (error instanceof KgnegError) throw new KgnegError(`bench: --${flag}: ${error.message}`, { exitCode: 2 });
      throw error;
    }
  });
}
