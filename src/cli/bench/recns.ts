/**
 * `npm run bench -- recns [--dataset lastfm-kgcn] [--khops 3,5,7] [--epochs 3]`
 *
 * Region extraction by Cypher for each khop (uncached: seconds, users/s, region
 * sizes, db hits of one profiled batch of 100 users), then seconds per epoch of
 * LightGCN + RecNS (intermediate region, khop 3) against LightGCN + uniform in
 * the same process, both with the RecNS defaults (k = 15 negatives, hinge loss).
 */
import { extractReachableItems, profileRegionBatch } from '../../graph/regions.js';
import { popcount, RegionFilter } from '../../sampling/region.js';
import { samplerEntry } from '../../sampling/registry.js';
import { Rng } from '../../sampling/rng.js';
import { makeLoss } from '../../train/losses.js';
import { LightGcn } from '../../train/models/lightgcn.js';
import { Adam } from '../../train/optim/adam.js';
import { trainModel } from '../../train/trainer.js';
import { CONNECTION_FLAGS, intFlag, parseFlags } from '../options.js';
import { withBenchDataset } from './dataset.js';
import { benchEnvironment, median, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, khops: { type: 'string' }, epochs: { type: 'string' } } as const;

export async function benchRecns(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- recns', argv, FLAGS, '  --dataset NAME (lastfm-kgcn)  --khops 3,5,7  --epochs N (3)');
  const name = values.dataset ?? 'lastfm-kgcn';
  const khops = (values.khops ?? '3,5,7').split(',').map(Number);
  const epochs = intFlag('epochs', values.epochs, 3);
  return withBenchDataset(values, name, async ({ runner, backend, data, split, log }) => {

    const regions = [];
    let khop3: Awaited<ReturnType<typeof extractReachableItems>> | undefined;
    for (const khop of khops) {
      const began = Date.now();
      const sets = await extractReachableItems(runner, { dataset: name, khop, users: data.users, items: data.items });
      const seconds = (Date.now() - began) / 1000;
      const sizes = Array.from({ length: sets.users }, (_, u) => {
        let n = 0;
        for (let w = u * sets.wordsPerUser; w < (u + 1) * sets.wordsPerUser; w += 1) n += popcount(sets.bits[w]!);
        return n;
      }).sort((a, b) => a - b);
      const profile = await profileRegionBatch(runner, { dataset: name, khop, userIds: data.users.ids.slice(0, 100) });
      const intermediate = new RegionFilter('intermediate', sets, split.train).sizeStats();
      regions.push({
        khop,
        seconds,
        usersPerSecond: Math.round(sets.users / seconds),
        reachable: { median: sizes[sizes.length >> 1], p90: sizes[Math.floor(sizes.length * 0.9)] },
        intermediate,
        dbHitsFirst100Users: profile.dbHits,
      });
      log(`khop ${khop}: ${seconds.toFixed(1)}s, reachable median ${sizes[sizes.length >> 1]}, db hits (100 users) ${profile.dbHits}`);
      if (khop === 3) khop3 = sets;
    }
    khop3 ??= await extractReachableItems(runner, { dataset: name, khop: 3, users: data.users, items: data.items });

    const epochSeconds = async (sampler: string) => {
      const entry = samplerEntry(sampler);
      const model = new LightGcn({ users: split.numUsers, items: split.numItems, dim: 64, l2: 1e-4, seed: 1 }, split.train);
      const region = sampler === 'recns' ? new RegionFilter('intermediate', khop3!, split.train) : undefined;
      const result = await trainModel({
        model,
        sampler: entry.create({ train: split.train, numItems: split.numItems, itemCounts: split.itemCounts, rng: new Rng(3), ...(region ? { region } : {}) }, entry.defaults),
        optimizer: new Adam(),
        loss: makeLoss({ name: 'hinge', margin: 0.1 }),
        data: split,
        config: { epochs, maxEpochs: epochs, batchSize: 2048, negatives: 15, evalEvery: 1_000_000, patience: 1_000_000, selectMetric: 'recall@20', seed: 1 },
        onEpoch: (e) => log(`LightGCN + ${sampler} epoch ${e.epoch}: ${e.seconds.toFixed(2)}s (sampling ${e.sampleSeconds.toFixed(2)}s)`),
      });
      return result.epochs.map((e) => ({ seconds: e.seconds, sampleSeconds: e.sampleSeconds }));
    };
    const uniform = await epochSeconds('uniform');
    const recns = await epochSeconds('recns');
    const med = (rows: Array<{ seconds: number }>) => median(rows.map((r) => r.seconds));
    const result = {
      bench: 'recns',
      dataset: name,
      backend: backend.name,
      regions,
      lightgcnEpochs: {
        negatives: 15,
        uniform: { epochs: uniform, medianSeconds: med(uniform) },
        recnsIntermediateKhop3: { epochs: recns, medianSeconds: med(recns) },
        recnsOverUniform: Number((med(recns) / med(uniform)).toFixed(2)),
      },
      environment: benchEnvironment(),
    };
    publishBenchResult(`recns-${name}`, result, log);
  });
}
