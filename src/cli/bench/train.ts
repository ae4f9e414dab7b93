/**
 * `npm run bench -- train [--dataset amazon-book-kgat] [--epochs 3] [--backend tensorflow,wasm,cpu]`
 *
 * For each backend listed, in one process: seconds per epoch of kgneg's MF +
 * uniform and MF + DNS (pairs/s), the cost of
 * dense instead of row-wise optimizer updates, and full-ranking evaluation
 * time, each next to the arithmetic floor measured in the same process: a
 * plain Float32Array MF-BPR epoch (plain-bpr.ts). The dataset is read from
 * Neo4j (ingested from ../shared/datasets first if it is not there), or with
 * --split-file from a file `bench gpu-pack` wrote (no database needed: a GPU
 * machine reached by a small upload).
 */
import { evaluateFullRanking } from '../../eval/full-ranking.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { samplerDefaults, samplerEntry } from '../../sampling/registry.js';
import { Rng } from '../../base/rng.js';
import { KgnegError } from '../../graph/errors.js';
import { BACKEND_REQUESTS, type BackendChoice, type BackendRequest, selectBackend } from '../../train/backend.js';
import { makeLoss } from '../../train/losses.js';
import { MatrixFactorization } from '../../train/models/mf.js';
import { Adam, DenseAdam, type Optimizer } from '../../train/optim/adam.js';
import { ParamTable } from '../../train/params.js';
import type { SplitData } from '../../train/split-data.js';
import { readSplitFile } from '../../train/split-file.js';
import { trainModel } from '../../train/trainer.js';
import { intFlag, neo4jConfigFrom, parseFlags, CONNECTION_FLAGS } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { benchDataset } from './dataset.js';
import { plainBprEpoch } from './plain-bpr.js';
import { benchEnvironment, median, publishBenchResult } from './result.js';

const FLAGS = {
  ...CONNECTION_FLAGS,
  dataset: { type: 'string' },
  'split-file': { type: 'string' },
  epochs: { type: 'string' },
  backend: { type: 'string' },
  'dense-batches': { type: 'string' },
  'eval-repeats': { type: 'string' },
} as const;

export async function benchTrain(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    'bench -- train',
    argv,
    FLAGS,
    '  --dataset NAME (amazon-book-kgat) | --split-file F  --epochs N (3)  --backend LIST (auto; e.g. tensorflow,wasm,cpu)  --dense-batches N (20)  --eval-repeats N (2)',
  );
  const epochs = intFlag('epochs', values.epochs, 3);
  const denseBatches = intFlag('dense-batches', values['dense-batches'], 20);
  const evalRepeats = intFlag('eval-repeats', values['eval-repeats'], 2);
  const requests = (values.backend ?? 'auto').split(',').map((b) => b.trim()) as BackendRequest[];
  for (const request of requests) {
    if (!BACKEND_REQUESTS.includes(request)) throw new KgnegError(`unknown backend '${request}'`, { hint: `one or more of ${BACKEND_REQUESTS.join(', ')}, comma-separated` });
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const splitFile = values['split-file'];
  if (splitFile !== undefined) {
    const { dataset, split } = readSplitFile(splitFile);
    await benchSplit(dataset, split, requests, { epochs, denseBatches, evalRepeats }, log);
    return 0;
  }
  const name = values.dataset ?? 'amazon-book-kgat';
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  try {
    const { split } = await benchDataset(new QueryRunner(connection), name);
    await benchSplit(name, split, requests, { epochs, denseBatches, evalRepeats }, log);
  } finally {
    await connection.close();
  }
  return 0;
}

async function benchSplit(
  name: string,
  split: SplitData,
  requests: readonly BackendRequest[],
  { epochs, denseBatches, evalRepeats }: { readonly epochs: number; readonly denseBatches: number; readonly evalRepeats: number },
  log: (line: string) => void,
): Promise<void> {
  const pairs = split.train.indices.length;
  const batchesPerEpoch = Math.ceil(pairs / 2048);
  log(`bench train: '${name}', ${pairs} training pairs, ${batchesPerEpoch} batches/epoch, backends ${requests.join(', ')}`);

  const floor: number[] = [];
  const state = { users: xavier(split.numUsers, 64, 1), items: xavier(split.numItems, 64, 2), dim: 64 };
  for (let e = 0; e < epochs; e += 1) {
    const t0 = performance.now();
    plainBprEpoch(split.train, state, e + 1);
    floor.push((performance.now() - t0) / 1000);
    log(`floor epoch ${e + 1}: ${floor.at(-1)!.toFixed(2)}s`);
  }
  const floorMedian = median(floor);
  // Every backend in the same process, one after the other, against the same floor.
  const backends = [];
  for (const request of requests) {
    const backend = await selectBackend(request, log);
    backends.push(await benchBackend(split, backend, { epochs, denseBatches, evalRepeats, batchesPerEpoch, floorMedian }, log));
  }
  // Same initial model, same ranking: metrics may differ across backends by float ties only.
  const metricSpread: Record<string, number> = {};
  for (const key of Object.keys(backends[0]!.fullRankingEvaluation.metrics)) {
    const seen = backends.map((b) => b.fullRankingEvaluation.metrics[key]!);
    metricSpread[key] = Math.max(...seen) - Math.min(...seen);
  }
  const base = backends[0]!;
  const result = {
    bench: 'train',
    dataset: name,
    pairsPerEpoch: pairs,
    dim: 64,
    batchSize: 2048,
    floorPlainJsBpr: { epochSeconds: floor, medianSeconds: floorMedian, pairsPerSecond: Math.round(pairs / floorMedian) },
    backends,
    /** Each backend's median seconds divided by the first backend's (the baseline of this run). */
    relativeToFirst: Object.fromEntries(
      backends.map((b) => [
        b.backend.name,
        {
          mfUniform: ratio(b.mfUniform.medianSeconds, base.mfUniform.medianSeconds),
          mfDns: ratio(b.mfDns.medianSeconds, base.mfDns.medianSeconds),
          fullRanking: ratio(b.fullRankingEvaluation.medianSeconds, base.fullRankingEvaluation.medianSeconds),
        },
      ]),
    ),
    fullRankingMetricSpreadAcrossBackends: metricSpread,
    environment: benchEnvironment(),
  };
  publishBenchResult('train', result, log);
}

interface BackendBenchOptions {
  readonly epochs: number;
  readonly denseBatches: number;
  readonly evalRepeats: number;
  readonly batchesPerEpoch: number;
  readonly floorMedian: number;
}

async function benchBackend(split: SplitData, backend: BackendChoice, options: BackendBenchOptions, log: (line: string) => void) {
  const { epochs, denseBatches, evalRepeats, batchesPerEpoch, floorMedian } = options;
  const pairs = split.train.indices.length;
  const uniform = await kgnegEpochs(split, 'uniform', epochs, log);
  const dns = await kgnegEpochs(split, 'dns', epochs, log);
  const sparseBatch = await secondsPerBatch(split, new Adam(), denseBatches);
  const denseBatch = await secondsPerBatch(split, new DenseAdam(), denseBatches);
  log(`${backend.name}: row-wise Adam ${(sparseBatch * 1000).toFixed(1)} ms/batch, dense Adam ${(denseBatch * 1000).toFixed(1)} ms/batch`);

  const model = new MatrixFactorization({ users: split.numUsers, items: split.numItems, dim: 64, l2: 1e-5, seed: 1 });
  // Full ranking on one thread and on the default thread count, alternating, in the same process.
  const evalSeconds: Record<'oneThread' | 'allThreads', number[]> = { oneThread: [], allThreads: [] };
  let evalUsers = 0;
  let evalThreads = 1;
  const reference = new Map<string, number>();
  for (let r = 0; r < evalRepeats; r += 1) {
    for (const mode of ['oneThread', 'allThreads'] as const) {
      const result = await evaluateFullRanking({
        embeddings: model.finalEmbeddings(),
        exclude: [split.train, split.valid],
        truth: split.test,
        ks: [20],
        ...(mode === 'oneThread' ? { options: { threads: 1 } } : {}),
      });
      evalSeconds[mode].push(result.seconds);
      evalUsers = result.users;
      if (mode === 'allThreads') evalThreads = result.threads;
      // Both paths must rank identically: a bench that got faster by being wrong is no bench.
      for (const [key, value] of Object.entries(result.metrics)) {
        if (!reference.has(key)) reference.set(key, value);
        else if (Math.abs(reference.get(key)! - value) > 1e-9) throw new Error(`full ranking differs between thread counts: ${key}`);
      }
      log(`${backend.name}: full-ranking evaluation (${result.threads} thread(s)): ${result.users} users x ${split.numItems} items in ${result.seconds.toFixed(1)}s`);
    }
  }
  return {
    backend: { name: backend.name, provider: backend.provider, gpu: backend.gpu },
    mfUniform: summary(uniform, pairs, floorMedian),
    mfDns: summary(dns, pairs, floorMedian),
    optimizer: {
      batchesMeasured: denseBatches,
      rowWiseSecondsPerBatch: sparseBatch,
      denseSecondsPerBatch: denseBatch,
      denseOverRowWise: Number((denseBatch / sparseBatch).toFixed(2)),
      denseEpochSecondsEstimate: Number((denseBatch * batchesPerEpoch).toFixed(1)),
    },
    fullRankingEvaluation: {
      users: evalUsers,
      items: split.numItems,
      k: 20,
      threads: evalThreads,
      seconds: evalSeconds.allThreads,
      medianSeconds: median(evalSeconds.allThreads),
      oneThread: { seconds: evalSeconds.oneThread, medianSeconds: median(evalSeconds.oneThread) },
      speedupOverOneThread: Number((median(evalSeconds.oneThread) / median(evalSeconds.allThreads)).toFixed(2)),
      metrics: Object.fromEntries(reference),
    },
  };
}

function ratio(a: number, b: number): number {
  return Number((a / b).toFixed(3));
}

async function kgnegEpochs(split: SplitData, sampler: string, epochs: number, log: (line: string) => void): Promise<number[]> {
  const model = new MatrixFactorization({ users: split.numUsers, items: split.numItems, dim: 64, l2: 1e-5, seed: 1 });
  const entry = samplerEntry(sampler);
  const result = await trainModel({
    model,
    sampler: entry.create({ train: split.train, numItems: split.numItems, itemCounts: split.itemCounts, rng: new Rng(3) }, samplerDefaults(sampler)),
    optimizer: new Adam(),
    loss: makeLoss({ name: 'bpr' }),
    data: split,
    config: { epochs, maxEpochs: epochs, batchSize: 2048, negatives: 1, evalEvery: 1_000_000, patience: 1_000_000, selectMetric: 'recall@20', seed: 1 },
    onEpoch: (e) => log(`MF + ${sampler} epoch ${e.epoch}: ${e.seconds.toFixed(2)}s (sampling ${e.sampleSeconds.toFixed(2)}s)`),
  });
  return result.epochs.map((e) => e.seconds);
}

async function secondsPerBatch(split: SplitData, optimizer: Optimizer, batches: number): Promise<number> {
  const model = new MatrixFactorization({ users: split.numUsers, items: split.numItems, dim: 64, l2: 1e-5, seed: 1 });
  const sampler = samplerEntry('uniform').create({ train: split.train, numItems: split.numItems, itemCounts: split.itemCounts, rng: new Rng(4) }, {});
  const rng = new Rng(5);
  const loss = makeLoss({ name: 'bpr' });
  const pairs = split.train.indices.length;
  const pairUsers = new Int32Array(pairs);
  for (let u = 0; u < split.train.rows; u += 1) pairUsers.fill(u, split.train.indptr[u]!, split.train.indptr[u + 1]!);
  const t0 = performance.now();
  for (let b = 0; b < batches; b += 1) {
    const picks = Int32Array.from({ length: 2048 }, () => rng.nextInt(pairs));
    const userIdxs = picks.map((p) => pairUsers[p]!);
    const posItemIdxs = picks.map((p) => split.train.indices[p]!);
    const negatives = sampler.sample(userIdxs, posItemIdxs, 1, model);
    await model.trainStep({ userIdxs, posItemIdxs, negItemIdxs: negatives.itemIdxs, k: 1 }, loss, optimizer);
  }
  return (performance.now() - t0) / 1000 / batches;
}

function summary(seconds: number[], pairs: number, floorMedian: number) {
  const med = median(seconds);
  return { epochSeconds: seconds, medianSeconds: med, pairsPerSecond: Math.round(pairs / med), overFloor: Number((med / floorMedian).toFixed(2)) };
}

function xavier(rows: number, dim: number, seed: number): Float32Array {
  return ParamTable.xavier('bench', rows, dim, new Rng(seed)).data;
}
