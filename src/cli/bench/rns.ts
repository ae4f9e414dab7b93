/**
 * `npm run bench -- rns [--dataset mind-small-5k] [--epochs 3]`
 *
 * Seconds per epoch of GMF + RNS against GMF + uniform in the same process
 * (GMF d 32, batch 1024, the RNS defaults), split into sampling (pool, S's
 * softmax and the rewards) and the step (R's BPR step plus S's REINFORCE step),
 * and the exposure lookup in Cypher. Both start from the same GMF; the timing
 * does not need a pre-trained one.
 */
import { loadTrainExposures } from '../../graph/exposures.js';
import { samplerDefaults, samplerEntry } from '../../sampling/registry.js';
import { Rng } from '../../base/rng.js';
import { exposedNotInteracted } from '../../train/exposure-data.js';
import { makeLoss } from '../../train/losses.js';
import { GeneralizedMf } from '../../train/models/gmf.js';
import { Adam } from '../../train/optim/adam.js';
import { trainModel } from '../../train/trainer.js';
import { CONNECTION_FLAGS, intFlag, parseFlags } from '../options.js';
import { withBenchDataset } from './dataset.js';
import { benchEnvironment, median, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, epochs: { type: 'string' } } as const;

export async function benchRns(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- rns', argv, FLAGS, '  --dataset NAME (mind-small-5k)  --epochs N (3)');
  const name = values.dataset ?? 'mind-small-5k';
  const epochs = intFlag('epochs', values.epochs, 3);
  return withBenchDataset(values, name, async ({ runner, backend, data, split, log }) => {
    const table = await loadTrainExposures(runner, name, data.users, data.items);
    const exposures = exposedNotInteracted(table, split.train);
    log(`exposure lookup: ${table.userIdxs.length} pairs of ${table.usersWithExposures} users in ${table.seconds.toFixed(2)}s`);

    const epochSeconds = async (sampler: string) => {
      const entry = samplerEntry(sampler);
      const model = new GeneralizedMf({ users: split.numUsers, items: split.numItems, dim: 32, l2: 1e-5, seed: 1 });
      const pretrained = { dim: 32, users: model.users.data, items: model.items.data, h: model.h.data };
      const result = await trainModel({
        model,
        sampler: entry.create({ train: split.train, numItems: split.numItems, itemCounts: split.itemCounts, rng: new Rng(3), exposures, pretrained }, samplerDefaults(sampler)),
        optimizer: new Adam(),
        loss: makeLoss({ name: 'bpr' }),
        data: split,
        config: { epochs, maxEpochs: epochs, batchSize: 1024, negatives: 1, evalEvery: 1_000_000, patience: 1_000_000, selectMetric: 'recall@20', seed: 1 },
        onEpoch: (e) => log(`GMF + ${sampler} epoch ${e.epoch}: ${e.seconds.toFixed(2)}s (sampling ${e.sampleSeconds.toFixed(2)}s, steps ${e.stepSeconds.toFixed(2)}s)`),
      });
      return result.epochs.map((e) => ({ seconds: e.seconds, sampleSeconds: e.sampleSeconds, stepSeconds: e.stepSeconds }));
    };
    const uniform = await epochSeconds('uniform');
    const rns = await epochSeconds('rns');
    const med = (rows: Array<{ seconds: number }>) => median(rows.map((r) => r.seconds));
    publishBenchResult(
      `rns-${name}`,
      {
        bench: 'rns',
        dataset: name,
        backend: backend.name,
        trainPairs: split.train.indices.length,
        exposureLookupSeconds: table.seconds,
        gmfEpochs: {
          batchSize: 1024,
          uniform: { epochs: uniform, medianSeconds: med(uniform) },
          rns: { epochs: rns, medianSeconds: med(rns), options: samplerDefaults('rns') },
          rnsOverUniform: Number((med(rns) / med(uniform)).toFixed(2)),
        },
        environment: benchEnvironment(),
      },
      log,
    );
  });
}
