/**
 * `npm run bench -- jnskr [--dataset amazon-book-kgat] [--epochs 2] [--naive-users 2000]`
 *
 * Seconds per epoch of JNSKR against MF + uniform in the same process, and
 * what the d x d rearrangement saves: the naive whole-data loss (every user x
 * every item, weighted squared error) timed on a user subsample and
 * extrapolated to all users, beside the operation counts of both forms.
 */
import { loadItemKg } from '../../graph/item-kg.js';
import { rowOf } from '../../base/csr.js';
import { samplerEntry } from '../../sampling/registry.js';
import { Rng } from '../../base/rng.js';
import { tf } from '../../train/backend.js';
import { itemKgCsr } from '../../train/item-kg-data.js';
import { makeLoss } from '../../train/losses.js';
import { Jnskr } from '../../train/models/jnskr.js';
import { MatrixFactorization } from '../../train/models/mf.js';
import { Adagrad } from '../../train/optim/adagrad.js';
import { Adam } from '../../train/optim/adam.js';
import { trainModel } from '../../train/trainer.js';
import { CONNECTION_FLAGS, intFlag, parseFlags } from '../options.js';
import { withBenchDataset } from './dataset.js';
import { benchEnvironment, median, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, epochs: { type: 'string' }, 'naive-users': { type: 'string' } } as const;

export async function benchJnskr(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- jnskr', argv, FLAGS, '  --dataset NAME (amazon-book-kgat)  --epochs N (2)  --naive-users N (2000)');
  const name = values.dataset ?? 'amazon-book-kgat';
  const epochs = intFlag('epochs', values.epochs, 2);
  const naiveUsers = intFlag('naive-users', values['naive-users'], 2000);
  return withBenchDataset(values, name, async ({ runner, backend, data, split, log }) => {
    const kgTable = await loadItemKg(runner, name, data.items);
    const kg = itemKgCsr(kgTable, split.numItems);
    const dim = 64;
    const config = { epochs, maxEpochs: epochs, batchSize: 2048, negatives: 1, evalEvery: 1_000_000, patience: 1_000_000, selectMetric: 'recall@20', seed: 1 };

    const jnskr = new Jnskr({ users: split.numUsers, items: split.numItems, dim, l2: 1e-5, seed: 1 }, split.train, kg);
    const jnskrRun = await trainModel({
      model: jnskr,
      optimizer: new Adagrad(0.05),
      loss: makeLoss({ name: 'bpr' }),
      data: split,
      config,
      onEpoch: (e) => log(`JNSKR epoch ${e.epoch}: ${e.seconds.toFixed(2)}s`),
    });
    const uniform = samplerEntry('uniform');
    const mf = new MatrixFactorization({ users: split.numUsers, items: split.numItems, dim, l2: 1e-5, seed: 1 });
    const mfRun = await trainModel({
      model: mf,
      sampler: uniform.create({ train: split.train, numItems: split.numItems, itemCounts: split.itemCounts, rng: new Rng(3) }, {}),
      optimizer: new Adam(),
      loss: makeLoss({ name: 'bpr' }),
      data: split,
      config,
      onEpoch: (e) => log(`MF + uniform epoch ${e.epoch}: ${e.seconds.toFixed(2)}s`),
    });

    // The naive whole-data CF loss on a user subsample: scores for every (user, item), weighted squared error.
    const { users, items } = jnskr.finalEmbeddings();
    const sample = Math.min(naiveUsers, split.numUsers);
    const began = performance.now();
    let naive = 0;
    const chunk = 500;
    const itemsT = tf.tidy(() => tf.transpose(tf.tensor2d(items, [split.numItems, dim])));
    for (let start = 0; start < sample; start += chunk) {
      const count = Math.min(chunk, sample - start);
      const scores = tf.tidy(() => tf.matMul(tf.tensor2d(users.subarray(start * dim, (start + count) * dim), [count, dim]), itemsT as tf.Tensor2D));
      const values = scores.dataSync() as Float32Array;
      scores.dispose();
      for (let r = 0; r < count; r += 1) {
        const positives = new Set(rowOf(split.train, start + r));
        for (let v = 0; v < split.numItems; v += 1) {
          const y = positives.has(v) ? 1 : 0;
          const e = y - values[r * split.numItems + v]!;
          naive += (y ? 1 : 0.01) * e * e;
        }
      }
    }
    itemsT.dispose();
    const naiveSampleSeconds = (performance.now() - began) / 1000;
    const naiveEpochSeconds = (naiveSampleSeconds * split.numUsers) / sample;
    const batches = Math.ceil(split.numItems / 256);
    const interactions = split.train.indices.length;
    const result = {
      bench: 'jnskr',
      dataset: name,
      backend: backend.name,
      sizes: { users: split.numUsers, items: split.numItems, entities: kg.numEntities, relations: kg.numRelations, interactions, kgPairs: kg.entityIdxs.length },
      jnskrEpochSeconds: jnskrRun.epochs.map((e) => e.seconds),
      mfUniformEpochSeconds: mfRun.epochs.map((e) => e.seconds),
      jnskrOverMfUniform: Number((median(jnskrRun.epochs.map((e) => e.seconds)) / median(mfRun.epochs.map((e) => e.seconds))).toFixed(2)),
      naiveWholeDataLoss: {
        usersTimed: sample,
        seconds: naiveSampleSeconds,
        extrapolatedSecondsPerEpoch: Number(naiveEpochSeconds.toFixed(1)),
        value: naive,
        note: 'forward only, every user x every item: the sampled-free loss without the rearrangement',
      },
      operationCounts: {
        rearrangedPerEpoch: batches * split.numUsers * dim * dim + interactions * dim,
        naivePerEpoch: split.numUsers * split.numItems * dim,
        formula: '(items / 256) x users x d^2 + interactions x d  vs  users x items x d',
      },
      environment: benchEnvironment(),
    };
    publishBenchResult(`jnskr-${name}`, result, log);
  });
}
