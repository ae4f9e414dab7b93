/**
 * `npm run bench -- exposure-samplers [--dataset mind-small-5k] [--seeds 1,2,3]
 *   [--configs uniform,dns,bpr-en,ebpr,rns-as,rns-es,rns] [--model gmf]`
 * `npm run bench -- rns-beta [--dataset mind-small-5k] [--seeds 1] [--betas 0,0.25,0.5,0.75,0.9,1]`
 *
 * The RNS paper's comparison on a dataset with impressions: every config
 * (sampler[:option=value...]) trained per seed with validation-based early
 * stopping (imp.auc), then tested once under both exposure protocols (MIND's
 * per impression, the paper's per user list) and full ranking. rns-beta is
 * the paper's Figure 2: RNS-ES's test NDCG against beta. JSON plus an SVG.
 * The loop is compare.ts's, shared with bench samplers.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { QueryRunner } from '../../graph/query-runner.js';
import { CONNECTION_FLAGS, neo4jConfigFrom, parseFlags } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { settingFromText } from '../train/options.js';
import { compareConfigs, comparisonChart, parseExposureConfig, parseListFlag, type CellResult, type CompareCell } from './compare.js';
import { benchEnvironment, writeBenchResult } from './result.js';

const FLAGS = {
  ...CONNECTION_FLAGS,
  dataset: { type: 'string' },
  seeds: { type: 'string' },
  configs: { type: 'string' },
  betas: { type: 'string' },
  model: { type: 'string' },
  'max-epochs': { type: 'string' },
  'eval-every': { type: 'string' },
  patience: { type: 'string' },
} as const;

const REPORTED = ['imp.auc', 'imp.mrr', 'imp.ndcg@5', 'imp.ndcg@10', 'list.auc', 'list.ndcg', 'recall@20', 'ndcg@20'] as const;

export function benchExposureSamplers(argv: string[]): Promise<number> {
  return runComparison('exposure-samplers', argv);
}

export function benchRnsBeta(argv: string[]): Promise<number> {
  return runComparison('rns-beta', argv);
}

async function runComparison(bench: 'exposure-samplers' | 'rns-beta', argv: string[]): Promise<number> {
  const { values } = parseFlags(
    `bench -- ${bench}`,
    argv,
    FLAGS,
    '  --dataset NAME (mind-small-5k)  --seeds 1,2,3  --configs sampler[:option=value...],...  --betas B,... (rns-beta)  --model gmf  --max-epochs N  --eval-every N (2)  --patience N (5)',
  );
  const dataset = values.dataset ?? 'mind-small-5k';
  const model = values.model ?? 'gmf';
  const seeds = parseListFlag('seeds', 'seed', values.seeds ?? (bench === 'rns-beta' ? '1' : '1,2,3')) as number[];
  const betas = parseListFlag('betas', 'beta', values.betas ?? '0,0.25,0.5,0.75,0.9,1') as number[];
  const configs =
    bench === 'rns-beta' ? betas.map((b) => `rns-es:beta=${b}`) : (values.configs ?? 'uniform,dns,bpr-en,ebpr,rns-as,rns-es,rns').split(',');
  const common = {
    dataset,
    model: settingFromText('model', model),
    batchSize: 1024,
    evalEvery: settingFromText('evalEvery', values['eval-every'] ?? '2'),
    patience: settingFromText('patience', values.patience ?? '5'),
    ...(values['max-epochs'] ? { maxEpochs: settingFromText('maxEpochs', values['max-epochs']) } : {}),
  };
  const cells: CompareCell[] = configs.map((config) => ({ label: config, settings: { ...common, ...parseExposureConfig(config) } }));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  const runner = new QueryRunner(connection);
  try {
    const compared = await compareConfigs(runner, cells, seeds, {
      metrics: REPORTED,
      logMetrics: ['imp.auc', 'list.auc', 'list.ndcg'],
      runDir: path.join('bench-results', bench),
      log,
    });
    const results = compared.map((c) => ({
      config: c.label,
      test: c.test,
      validation: c.validation,
      bestEpochs: c.bestEpochs,
      pretrainEpochs: c.pretrainEpochs,
      seconds: c.seconds,
      samplerStats: c.samplerStats,
    }));
    const result = {
      bench,
      dataset,
      model,
      seeds,
      note: 'test metrics of the epoch selected on validation imp.auc; mean +- sample std over seeds; imp.* per impression (MIND), list.* per user list padded to 50 (RNS paper)',
      results,
      environment: benchEnvironment(),
    };
    const file = writeBenchResult(`${bench}-${dataset}`, result);
    const svg = file.replace(/\.json$/, '.svg');
    writeFileSync(svg, bench === 'rns-beta' ? betaChart(dataset, betas, compared) : barChart(dataset, compared));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    log(`written to ${file} and ${svg}`);
  } finally {
    await connection.close();
  }
  return 0;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

/** Bars of imp.auc, imp.ndcg@10, list.auc, list.ndcg per config, with +-1 sd whiskers. */
function barChart(dataset: string, rows: readonly CellResult[]): string {
  return comparisonChart(rows, ['imp.auc', 'imp.ndcg@10', 'list.auc', 'list.ndcg'], {
    title: `${dataset}: test metrics by sampler (mean +- sd over seeds)`,
    subtitle: 'test metrics of the epoch kept on validation imp.auc; imp.* per impression, list.* per user list',
    yLabel: 'test metric',
  });
}

/** The paper's Figure 2: test NDCG (list and impression) against beta. */
function betaChart(dataset: string, betas: readonly number[], rows: readonly CellResult[]): string {
  const metrics = ['list.ndcg', 'imp.ndcg@10'];
  const width = 520;
  const top = 40;
  const h = 240;
  const left = 70;
  const plotWidth = width - left - 30;
  const all = rows.flatMap((r) => metrics.map((m) => r.test[m]?.mean ?? 0));
  const lo = Math.min(...all) - 0.01;
  const hi = Math.max(...all) + 0.01;
  const x = (b: number) => left + (plotWidth * (b - Math.min(...betas))) / Math.max(1e-9, Math.max(...betas) - Math.min(...betas));
  const y = (v: number) => top + h - (h * (v - lo)) / (hi - lo);
  const lines = metrics
    .map((m, k) => {
      const points = rows.map((r, i) => `${x(betas[i]!).toFixed(1)},${y(r.test[m]?.mean ?? 0).toFixed(1)}`);
      const dots = rows.map((r, i) => `<circle cx="${x(betas[i]!).toFixed(1)}" cy="${y(r.test[m]?.mean ?? 0).toFixed(1)}" r="3" fill="${COLORS[k]}"/>`).join('');
      return `<polyline fill="none" stroke="${COLORS[k]}" stroke-width="2" points="${points.join(' ')}"/>${dots}<text x="${left + 10}" y="${top + 14 + 16 * k}" fill="${COLORS[k]}">${m}</text>`;
    })
    .join('\n');
  const ticks =
    betas.map((b) => `<text x="${x(b).toFixed(1)}" y="${top + h + 16}" text-anchor="middle" font-size="10">${b}</text>`).join('') +
    [lo, (lo + hi) / 2, hi].map((v) => `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="10">${v.toFixed(3)}</text>`).join('');
  const axes = `<line x1="${left}" x2="${width - 20}" y1="${top + h}" y2="${top + h}" stroke="#333"/><line x1="${left}" x2="${left}" y1="${top}" y2="${top + h}" stroke="#333"/><text x="${left + plotWidth / 2}" y="${top + h + 34}" text-anchor="middle">beta (weight of the MMD term in RNS-ES)</text>`;
  return svg(width, top + h + 50, `${dataset}: RNS-ES test NDCG against beta`, `${axes}${ticks}\n${lines}`);
}

function svg(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>
${body}
</svg>
`;
}
