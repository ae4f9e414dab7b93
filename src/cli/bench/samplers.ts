/**
 * `npm run bench -- samplers [--dataset lastfm-kgcn] [--seeds 1,2,3]
 *   [--configs mf:uniform,mf:dns,mf:sdns,lightgcn:dns,lightgcn:sdns] [--soft-factors 0.05,0.1,0.2,0.3,0.4|none]
 *   [--backends tensorflow,wasm]`
 *
 * A config is model:sampler, optionally :region[:khop] (the Three-Region
 * Principle ablation, e.g. lightgcn:recns:distant:3). With --backends every
 * config runs on each backend (cells named config@backend): whether a backend
 * changes results beyond seed noise.
 *
 * Test metrics (mean and spread over seeds, each run selected on validation)
 * for model:sampler pairs on one dataset, and a validation sweep of the SDNS
 * soft factor; JSON plus a bar chart (SVG).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { QueryRunner } from '../../graph/query-runner.js';
import { CONNECTION_FLAGS, neo4jConfigFrom, parseFlags } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { trainOptionsFrom } from '../train/options.js';
import { runTraining, SILENT } from '../train/run.js';
import { barChartSvg } from './bars.js';
import { benchEnvironment, meanAndSpread, writeBenchResult } from './result.js';

const FLAGS = {
  ...CONNECTION_FLAGS,
  dataset: { type: 'string' },
  seeds: { type: 'string' },
  configs: { type: 'string' },
  'soft-factors': { type: 'string' },
  'max-epochs': { type: 'string' },
  patience: { type: 'string' },
  backends: { type: 'string' },
} as const;

interface Cell {
  readonly config: string;
  readonly seeds: number[];
  readonly recall: number[];
  readonly ndcg: number[];
  readonly validRecall: number[];
  readonly epochs: number[];
  readonly seconds: number[];
}

export async function benchSamplers(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- samplers', argv, FLAGS, '  --dataset NAME --seeds 1,2,3 --configs model:sampler[:region[:khop]],... --soft-factors F,...|none --max-epochs N --patience N --backends B,...');
  const dataset = values.dataset ?? 'lastfm-kgcn';
  const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
  const configs = (values.configs ?? 'mf:uniform,mf:dns,mf:sdns,lightgcn:dns,lightgcn:sdns').split(',');
  const softFactors = values['soft-factors'] === 'none' ? [] : (values['soft-factors'] ?? '0.05,0.1,0.2,0.3,0.4').split(',').map(Number);
  const maxEpochs = values['max-epochs'] ?? '300';
  // Validations without a gain before stopping (the trainer's default 5; RecNS uses 10).
  const patience = values.patience;
  const backends = values.backends ? values.backends.split(',') : [undefined];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  const runner = new QueryRunner(connection);
  const run = async (model: string, sampler: string, seed: number, extra: Record<string, string | number> = {}) => {
    const options = trainOptionsFrom({
      dataset,
      model,
      sampler,
      seed,
      maxEpochs: Number(maxEpochs),
      ...(patience ? { patience: Number(patience) } : {}),
      writeBack: false,
      ks: [20],
      out: path.join('bench-results', 'samplers', `${dataset}-${model}-${sampler}-${Object.values(extra).join('-')}-seed${seed}`.replace(/[^A-Za-z0-9._-]+/g, '_')),
      ...extra,
    });
    const report = await runTraining(runner, options, SILENT);
    const validation = report.metrics.bestValidation ?? {};
    log(`${model}:${sampler} ${JSON.stringify(extra)} on ${report.metrics.backend.name} seed ${seed}: test recall@20 ${report.final['recall@20']!.toFixed(4)}, ndcg@20 ${report.final['ndcg@20']!.toFixed(4)} (best epoch ${report.bestEpoch})`);
    return { report, validRecall: validation['recall@20'] ?? Number.NaN };
  };
  try {
    const sweep: Array<{ softFactor: number; validRecall: number[] }> = [];
    for (const softFactor of softFactors) {
      const validRecall: number[] = [];
      for (const seed of seeds.slice(0, 1)) validRecall.push((await run('mf', 'sdns', seed, { softFactor })).validRecall);
      sweep.push({ softFactor, validRecall });
    }
    const cells: Cell[] = [];
    for (const [config, backend] of configs.flatMap((c) => backends.map((b) => [c, b] as const))) {
      const [model = 'mf', sampler = 'uniform', region, khop] = config.split(':');
      const extra: Record<string, string | number> = { ...(region ? { region } : {}), ...(khop ? { khop: Number(khop) } : {}), ...(backend ? { backend } : {}) };
      const cell: Cell = { config: backend ? `${config}@${backend}` : config, seeds, recall: [], ndcg: [], validRecall: [], epochs: [], seconds: [] };
      for (const seed of seeds) {
        const { report, validRecall } = await run(model, sampler, seed, extra);
        cell.recall.push(report.final['recall@20']!);
        cell.ndcg.push(report.final['ndcg@20']!);
        cell.validRecall.push(validRecall);
        cell.epochs.push(report.bestEpoch);
        cell.seconds.push(report.metrics.timings.totalSeconds);
      }
      cells.push(cell);
    }
    const result = {
      bench: 'samplers',
      dataset,
      seeds,
      note: 'test metrics of the epoch selected on validation recall@20; mean +- sample std over seeds',
      softFactorSweep: sweep.map((s) => ({ softFactor: s.softFactor, validRecall20: s.validRecall })),
      results: cells.map((c) => ({
        config: c.config,
        recall20: meanAndSpread(c.recall),
        ndcg20: meanAndSpread(c.ndcg),
        validRecall20: meanAndSpread(c.validRecall),
        bestEpochs: c.epochs,
        seconds: c.seconds,
      })),
      environment: benchEnvironment(),
    };
    const file = writeBenchResult(`samplers-${dataset}`, result);
    const svg = file.replace(/\.json$/, '.svg');
    writeFileSync(svg, barChart(`${dataset}: test recall@20 and ndcg@20 over seeds ${seeds.join(', ')}`, result.results));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    log(`written to ${file} and ${svg}`);
  } finally {
    await connection.close();
  }
  return 0;
}

function barChart(title: string, rows: Array<{ config: string; recall20: { mean: number; std: number }; ndcg20: { mean: number; std: number } }>): string {
  return barChartSvg({
    title,
    subtitle: 'test metrics of the epoch kept on validation; bars: mean over seeds, error bars: ±1 sample sd',
    yLabel: 'test metric',
    series: ['recall@20', 'ndcg@20'],
    groups: rows.map((r) => ({ label: r.config, values: [r.recall20, r.ndcg20] })),
  });
}
