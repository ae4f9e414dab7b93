import { beforeAll, describe, expect, it } from 'vitest';
import { csrFromPairs, type Csr } from '../../src/base/csr.js';
import { samplerEntry } from '../../src/sampling/registry.js';
import { Rng } from '../../src/base/rng.js';
import { selectBackend } from '../../src/train/backend.js';
import { makeLoss } from '../../src/train/losses.js';
import { LightGcn } from '../../src/train/models/lightgcn.js';
import { Adam } from '../../src/train/optim/adam.js';
import type { SplitData } from '../../src/train/split-data.js';
import { trainModel } from '../../src/train/trainer.js';

function randomCsr(users: number, items: number, perUser: number, seed: number): Csr {
  const rng = new Rng(seed);
  const u: number[] = [];
  const i: number[] = [];
  for (let a = 0; a < users; a += 1) for (let c = 0; c < perUser; c += 1) (u.push(a), i.push(rng.nextInt(items)));
  return csrFromPairs(users, items, Int32Array.from(u), Int32Array.from(i));
}

beforeAll(async () => {
  await selectBackend('cpu');
});

/** LightGCN on 30 users x 40 items with uniform negatives, and the arguments of trainModel but validation. */
function tinyRun() {
  const train = randomCsr(30, 40, 5, 1);
  const empty = csrFromPairs(30, 40, new Int32Array(0), new Int32Array(0));
  const data: SplitData = { numUsers: 30, numItems: 40, train, valid: empty, test: empty, itemCounts: new Int32Array(40).fill(1), validation: { source: 'dataset' } };
  const model = new LightGcn({ users: 30, items: 40, dim: 8, l2: 1e-4, seed: 2 }, train);
  const args = {
    model,
    sampler: samplerEntry('uniform').create({ train, numItems: 40, itemCounts: data.itemCounts, rng: new Rng(3) }, {}),
    optimizer: new Adam({ learningRate: 0.05 }),
    loss: makeLoss({ name: 'bpr' }),
    data,
    config: { maxEpochs: 10, batchSize: 32, negatives: 1, evalEvery: 1, patience: 2, selectMetric: 'score', seed: 4 },
  };
  return { train, model, args };
}

describe('the training loop', () => {
  it('restores the best validated epoch, and a model with cached vectors serves those of the restored tables', async () => {
    const { train, model, args } = tinyRun();
    const snapshots: Float32Array[] = [];
    const result = await trainModel({
      ...args,
      // Validation peaks at epoch 2; finalEmbeddings() is read as an evaluation would, filling the model's cache.
      validate: (epoch) => {
        snapshots[epoch] = model.ego.data.slice();
        model.finalEmbeddings();
        return { metrics: { score: epoch === 2 ? 1 : 0 }, seconds: 0 };
      },
    });
    expect(result.bestEpoch).toBe(2);
    expect(result.epochs).toHaveLength(4);
    expect(Array.from(model.ego.data)).toEqual(Array.from(snapshots[2]!));
    // The served vectors are the propagation of the restored tables, not the cached last epoch's.
    const fresh = new LightGcn({ users: 30, items: 40, dim: 8, l2: 1e-4, seed: 2 }, train);
    fresh.ego.data.set(snapshots[2]!);
    expect(Array.from(model.finalEmbeddings().items)).toEqual(Array.from(fresh.finalEmbeddings().items));
  });

  it('keeps the model it started from (epoch 0) when no trained epoch validates better, and not otherwise', async () => {
    const run = async (startScore: number) => {
      const { model, args } = tinyRun();
      const start = model.ego.data.slice();
      const result = await trainModel({
        ...args,
        validate: (epoch) => ({ metrics: { score: epoch / 10 }, seconds: 0 }),
        startingPoint: { metrics: { score: startScore } },
      });
      return { result, start, now: model.ego.data.slice() };
    };
    // Every epoch validates below the start: the start is restored.
    const worse = await run(5);
    expect(worse.result.bestEpoch).toBe(0);
    expect(worse.result.epochs).toHaveLength(2);
    expect(worse.result.bestValidation).toEqual({ score: 5 });
    expect(Array.from(worse.now)).toEqual(Array.from(worse.start));
    // Epochs that beat it are kept as before.
    const better = await run(-1);
    expect(better.result.bestEpoch).toBe(10);
    expect(Array.from(better.now)).not.toEqual(Array.from(better.start));
  });
});
