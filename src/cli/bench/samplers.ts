/**
 * `npm run bench -- samplers [--dataset lastfm-kgcn] [--seeds 1,2,3]
 *   [--configs mf:uniform,mf:dns,mf:sdns,lightgcn:dns,lightgcn:sdns] [--soft-factors 0.05,0.1,0.2,0.3,0.4|none]
 *   [--backends tensorflow,wasm]`
 *
 * A config is model:sampler, optionally :region[:khop] (the Three-Region
 * Principle ablation, e.g. lightgcn:recns:distant:3) and :key=value train or
 * sampler options (e.g. mf:sdns:softFactor=0.1). With --backends every
 * config runs on each backend (cells named config@backend): whether a backend
 * changes results beyond seed noise.
 *
 * Test metrics (mean and spread over seeds, each run selected on validation)
 * for model:sampler pairs on one dataset, and a validation sweep of the SDNS
 * soft factor; JSON plus a bar chart (SVG). The loop is compare.ts's, shared
 * with bench exposure-samplers.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { QueryRunner } from '../../graph/query-runner.js';
import { CONNECTION_FLAGS, neo4jConfigFrom, parseFlags } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { settingFromText } from '../train/options.js';
import { compareConfigs, comparisonChart, parseListFlag, parseSamplersConfig, type CompareCell } from './compare.js';
import { benchEnvironment, writeBenchResult } from './result.js';

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

const METRICS = ['recall@20', 'ndcg@20'] as const;

export async function benchSamplers(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- samplers', argv, FLAGS, '  --dataset NAME --seeds 1,2,3 --configs model:sampler[:region[:khop]][:key=value...],... --soft-factors F,...|none --max-epochs N --patience N --backends B,...');
  const dataset = values.dataset ?? 'lastfm-kgcn';
  const seeds = parseListFlag('seeds', 'seed', values.seeds ?? '1,2,3') as number[];
  const configs = (values.configs ?? 'mf:uniform,mf:dns,mf:sdns,lightgcn:dns,lightgcn:sdns').split(',');
  const softFactors = values['soft-factors'] === 'none' ? [] : (parseListFlag('soft-factors', 'softFactor', values['soft-factors'] ?? '0.05,0.1,0.2,0.3,0.4') as number[]);
  const backends = values.backends ? parseListFlag('backends', 'backend', values.backends) : [undefined];
  const common = {
    dataset,
    maxEpochs: settingFromText('maxEpochs', values['max-epochs'] ?? '300'),
    // Validations without a gain before stopping (the trainer's default 5; RecNS uses 10).
    ...(values.patience ? { patience: settingFromText('patience', values.patience) } : {}),
  };
  const sweepCells: CompareCell[] = softFactors.map((softFactor) => ({ label: `mf:sdns:softFactor=${softFactor}`, settings: { ...common, model: 'mf', sampler: 'sdns', softFactor } }));
  const cells: CompareCell[] = configs.flatMap((config) => {
    const settings = parseSamplersConfig(config);
    return backends.map((backend) => ({ label: backend ? `${config}@${backend}` : config, settings: { ...common, ...settings, ...(backend ? { backend } : {}) } }));
  });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  const runner = new QueryRunner(connection);
  try {
    const compare = { metrics: METRICS, validationMetric: 'recall@20', runDir: path.join('bench-results', 'samplers'), log };
    // The soft-factor sweep: validation only, on the first seed.
    const sweep = await compareConfigs(runner, sweepCells, seeds.slice(0, 1), compare);
    const compared = await compareConfigs(runner, cells, seeds, compare);
    const result = {
      bench: 'samplers',
      dataset,
      seeds,
      note: 'test metrics of the epoch selected on validation recall@20; mean +- sample std over seeds',
      softFactorSweep: sweep.map((s, i) => ({ softFactor: softFactors[i]!, validRecall20: s.validation.values })),
      results: compared.map((c) => ({
        config: c.label,
        recall20: c.test['recall@20']!,
        ndcg20: c.test['ndcg@20']!,
        validRecall20: c.validation,
        bestEpochs: c.bestEpochs,
        seconds: c.seconds,
      })),
      environment: benchEnvironment(),
    };
    const file = writeBenchResult(`samplers-${dataset}`, result);
    const svg = file.replace(/\.json$/, '.svg');
    writeFileSync(
      svg,
      comparisonChart(compared, METRICS, {
        title: `${dataset}: test recall@20 and ndcg@20 over seeds ${seeds.join(', ')}`,
        subtitle: 'test metrics of the epoch kept on validation; bars: mean over seeds, error bars: ±1 sample sd',
        yLabel: 'test metric',
      }),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    log(`written to ${file} and ${svg}`);
  } finally {
    await connection.close();
  }
  return 0;
}
