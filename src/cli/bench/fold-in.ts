/**
 * `npm run bench -- fold-in [--dataset lastfm-kgcn] [--seeds 1,2,3] [--holdout 0.1]
 *   [--model mf] [--sampler dns] [--max-epochs 300]`
 *
 * How good a folded-in user is: per seed, 10% of the users (seeded, among
 * those with training and test items) are held out entirely; the model is
 * trained on the rest, the held-out users are folded in from their training
 * interactions against its fixed item vectors (src/train/fold-in.ts), and
 * their test recall@20 / NDCG@20 is compared with the same users in a full
 * retrain that saw them. Also the fold-in's own latency per user (fit + rank
 * over every item), median and p95. JSON into bench-results/.
 */
import { csrFromPairs, csrPairs, rowOf, type Csr } from '../../base/csr.js';
import { Rng } from '../../base/rng.js';
import { evaluateFullRanking } from '../../eval/full-ranking.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { selectBackend } from '../../train/backend.js';
import { DEFAULT_FOLD_IN, foldInUser, topKFor } from '../../train/fold-in.js';
import type { SplitData } from '../../train/split-data.js';
import { CONNECTION_FLAGS, neo4jConfigFrom, parseFlags } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { trainOptionsFrom, settingFromText } from '../train/options.js';
import { fitModel } from '../train/stages/fit.js';
import { loadRunData } from '../train/stages/load-data.js';
import { benchEnvironment, meanAndSpread, writeBenchResult } from './result.js';

const FLAGS = {
  ...CONNECTION_FLAGS,
  dataset: { type: 'string' },
  seeds: { type: 'string' },
  holdout: { type: 'string' },
  model: { type: 'string' },
  sampler: { type: 'string' },
  'max-epochs': { type: 'string' },
} as const;

/** Fold-in settings compared (the epochs and the negatives' pool: 1 uniform, 16 as DNS draws). */
const FOLD_SETTINGS: Readonly<Record<string, { epochs: number; pool: number }>> = {
  'uniform-100': { epochs: 100, pool: 1 },
  'dns16-100': { epochs: 100, pool: 16 },
  'uniform-30': { epochs: 30, pool: 1 },
};

export async function benchFoldIn(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- fold-in', argv, FLAGS, '  --dataset NAME --seeds 1,2,3 --holdout 0.1 --model mf --sampler dns --max-epochs N');
  const dataset = values.dataset ?? 'lastfm-kgcn';
  const seeds = (values.seeds ?? '1,2,3').split(',').map((s) => Number(settingFromText('seed', s)));
  const holdout = Number(values.holdout ?? '0.1');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  const runner = new QueryRunner(connection);
  const rows: Array<Record<string, number>> = [];
  const latencies: Record<string, number[]> = {};
  try {
    for (const seed of seeds) {
      const options = trainOptionsFrom({
        dataset,
        model: values.model ?? 'mf',
        sampler: values.sampler ?? 'dns',
        seed,
        writeBack: false,
        ks: [20],
        ...(values['max-epochs'] ? { maxEpochs: settingFromText('maxEpochs', values['max-epochs']) } : {}),
        out: `bench-results/fold-in/${dataset}-seed${seed}`,
      });
      if (seed === seeds[0]) await selectBackend(options.backend, log);
      const run = await loadRunData(runner, options, () => undefined);
      const held = holdoutUsers(run.split, holdout, seed);
      const testHeld = keepRows(run.split.test, held);
      const hooks = { print: () => undefined, onEpoch: () => undefined, shouldStop: () => false };

      const full = await fitModel(run, options, hooks);
      const fullEval = await evaluateFullRanking({ embeddings: full.model.finalEmbeddings(), exclude: [run.split.train, run.split.valid], truth: testHeld, ks: [20] });
      const fullValid = await evaluateFullRanking({ embeddings: full.model.finalEmbeddings(), exclude: [run.split.train], truth: keepRows(run.split.valid, held), ks: [20] });
      full.model.dispose();

      const reduced = withoutUsers(run.split, held);
      const partial = await fitModel({ ...run, split: reduced }, options, hooks);
      const base = partial.model.finalEmbeddings();
      const validHeld = keepRows(run.split.valid, held);
      const row: Record<string, number> = {
        seed,
        heldOutUsers: held.length,
        fullRecall20: fullEval.metrics['recall@20']!,
        fullNdcg20: fullEval.metrics['ndcg@20']!,
        fullValidRecall20: fullValid.metrics['recall@20']!,
        fullEpochs: full.result.bestEpoch,
        partialEpochs: partial.result.bestEpoch,
      };
      // Each fold-in setting on the same two models; the setting is chosen on validation below.
      for (const [label, setting] of Object.entries(FOLD_SETTINGS)) {
        const users = base.users.slice();
        for (const u of held) {
          const began = performance.now();
          const positives = Array.from(rowOf(run.split.train, u));
          const vector = foldInUser(base.items, base.dim, positives, { ...DEFAULT_FOLD_IN, ...setting, l2: options.l2, seed });
          topKFor(vector, base.items, base.dim, 20, new Set(positives));
          (latencies[label] ??= []).push(performance.now() - began);
          users.set(vector, u * base.dim);
        }
        const embeddings = { dim: base.dim, users, items: base.items };
        const valid = await evaluateFullRanking({ embeddings, exclude: [run.split.train], truth: validHeld, ks: [20] });
        const test = await evaluateFullRanking({ embeddings, exclude: [run.split.train, run.split.valid], truth: testHeld, ks: [20] });
        row[`${label}.validRecall20`] = valid.metrics['recall@20']!;
        row[`${label}.recall20`] = test.metrics['recall@20']!;
        row[`${label}.ndcg20`] = test.metrics['ndcg@20']!;
      }
      partial.model.dispose();
      log(`seed ${seed}: ${held.length} users held out; full recall@20 ${row['fullRecall20']!.toFixed(4)}; ${Object.keys(FOLD_SETTINGS).map((l) => `${l} ${row[`${l}.recall20`]!.toFixed(4)} (valid ${row[`${l}.validRecall20`]!.toFixed(4)})`).join(', ')}`);
      rows.push(row);
    }
  } finally {
    await connection.close();
  }
  // The setting with the best mean validation recall of the held-out users; its test numbers are the result.
  const labels = Object.keys(FOLD_SETTINGS);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const chosen = labels.reduce((a, b) => (mean(rows.map((r) => r[`${b}.validRecall20`]!)) > mean(rows.map((r) => r[`${a}.validRecall20`]!)) ? b : a));
  const sorted = [...(latencies[chosen] ?? [])].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const result = {
    bench: 'fold-in',
    dataset,
    holdout,
    model: values.model ?? 'mf',
    sampler: values.sampler ?? 'dns',
    settings: FOLD_SETTINGS,
    chosenOnValidation: chosen,
    perSeed: rows,
    fullRecall20: meanAndSpread(rows.map((r) => r['fullRecall20']!)),
    fullNdcg20: meanAndSpread(rows.map((r) => r['fullNdcg20']!)),
    foldInRecall20: meanAndSpread(rows.map((r) => r[`${chosen}.recall20`]!)),
    foldInNdcg20: meanAndSpread(rows.map((r) => r[`${chosen}.ndcg20`]!)),
    recallRatio: meanAndSpread(rows.map((r) => r[`${chosen}.recall20`]! / r['fullRecall20']!)),
    bySetting: Object.fromEntries(labels.map((l) => [l, { validRecall20: meanAndSpread(rows.map((r) => r[`${l}.validRecall20`]!)), recall20: meanAndSpread(rows.map((r) => r[`${l}.recall20`]!)) }])),
    latencyMs: { users: sorted.length, median: pick(0.5), p95: pick(0.95), what: 'fit + rank over every item, in process (no database read)' },
    environment: benchEnvironment(),
  };
  const file = writeBenchResult(`fold-in-${dataset}`, result);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${file}\n`);
  return 0;
}

/** `fraction` of the users with training and test items, chosen by a seeded shuffle. */
function holdoutUsers(split: SplitData, fraction: number, seed: number): number[] {
  const eligible: number[] = [];
  for (let u = 0; u < split.numUsers; u += 1) if (rowOf(split.train, u).length > 0 && rowOf(split.test, u).length > 0) eligible.push(u);
  const rng = new Rng(seed ^ 0xf01d);
  for (let k = eligible.length - 1; k > 0; k -= 1) {
    const r = rng.nextInt(k + 1);
    [eligible[k], eligible[r]] = [eligible[r]!, eligible[k]!];
  }
  return eligible.slice(0, Math.max(1, Math.round(fraction * eligible.length))).sort((a, b) => a - b);
}

function filterRows(csr: Csr, keep: (u: number) => boolean): Csr {
  const { rowIdxs, colIdxs } = csrPairs(csr);
  const u: number[] = [];
  const i: number[] = [];
  for (let k = 0; k < rowIdxs.length; k += 1) {
    if (keep(rowIdxs[k]!)) {
      u.push(rowIdxs[k]!);
      i.push(colIdxs[k]!);
    }
  }
  return csrFromPairs(csr.rows, csr.cols, Int32Array.from(u), Int32Array.from(i));
}

function keepRows(csr: Csr, users: readonly number[]): Csr {
  const set = new Set(users);
  return filterRows(csr, (u) => set.has(u));
}

/** The split without any interaction of `users`: the model never sees them. */
function withoutUsers(split: SplitData, users: readonly number[]): SplitData {
  const set = new Set(users);
  const train = filterRows(split.train, (u) => !set.has(u));
  const itemCounts = new Int32Array(split.numItems);
  for (let k = 0; k < train.indices.length; k += 1) itemCounts[train.indices[k]!]! += 1;
  return { ...split, train, valid: filterRows(split.valid, (u) => !set.has(u)), test: filterRows(split.test, (u) => !set.has(u)), itemCounts };
}
