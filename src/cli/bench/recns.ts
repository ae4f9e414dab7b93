/**
 * `npm run bench -- recns [--dataset lastfm-kgcn] [--khops 3,5,7] [--sample N] [--epochs 3]`
 *
 * Region extraction by Cypher for each khop (uncached: seconds, users/s, region
 * sizes, db hits of one profiled batch of 100 users), then seconds per epoch of
 * LightGCN + RecNS (intermediate region, khop 3, from the region cache) against
 * LightGCN + uniform in the same process, both with the RecNS defaults (k = 15
 * negatives, hinge loss). `--sample N` extracts for N users drawn with seed 1
 * and extrapolates the time to every user: amazon-book's khop 5 touches nearly
 * every edge per user, hours for all of them. `--epochs 0` skips the epochs.
 */
import { cachedReachableItems } from '../../graph/region-cache.js';
import { extractReachableItems, profileRegionBatch } from '../../graph/regions.js';
import { popcount, RegionFilter } from '../../sampling/region.js';
import { samplerDefaults, samplerEntry } from '../../sampling/registry.js';
import { Rng } from '../../base/rng.js';
import { makeLoss } from '../../train/losses.js';
import { LightGcn } from '../../train/models/lightgcn.js';
import { Adam } from '../../train/optim/adam.js';
import { trainModel } from '../../train/trainer.js';
import { CONNECTION_FLAGS, intFlag, parseFlags } from '../options.js';
import { withBenchDataset } from './dataset.js';
import { benchEnvironment, median, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, khops: { type: 'string' }, sample: { type: 'string' }, epochs: { type: 'string' } } as const;

export async function benchRecns(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- recns', argv, FLAGS, '  --dataset NAME (lastfm-kgcn)  --khops 3,5,7  --sample N (users; default all)  --epochs N (3; 0 skips)');
  const name = values.dataset ?? 'lastfm-kgcn';
  const khops = (values.khops ?? '3,5,7').split(',').map(Number);
  const epochs = intFlag('epochs', values.epochs, 3);
  return withBenchDataset(values, name, async ({ runner, backend, data, split, log }) => {
    const allUsers = data.users.ids.length;
    const sample = values.sample === undefined ? undefined : sampleUsers(allUsers, intFlag('sample', values.sample, allUsers));
    const extracted = sample ?? Int32Array.from({ length: allUsers }, (_, u) => u);

    const regions = [];
    for (const khop of khops) {
      const began = Date.now();
      const sets = await extractReachableItems(runner, {
        data,
        train: split.train,
        khop,
        ...(sample ? { onlyUsers: sample } : {}),
        onProgress: (done, total) => {
          if (done % 1000 === 0 || done === total) log(`khop ${khop}: ${done}/${total} users, ${((Date.now() - began) / 1000).toFixed(0)}s`);
        },
      });
      const seconds = (Date.now() - began) / 1000;
      const sizes = Array.from(extracted, (u) => {
        let n = 0;
        for (let w = u * sets.wordsPerUser; w < (u + 1) * sets.wordsPerUser; w += 1) n += popcount(sets.bits[w]!);
        return n;
      }).sort((a, b) => a - b);
      const profile = await profileRegionBatch(runner, { data, train: split.train, khop, userIds: Array.from(extracted.subarray(0, 100), (u) => data.users.ids[u]!) });
      const intermediate = sample ? undefined : new RegionFilter('intermediate', sets, split.train).sizeStats();
      regions.push({
        khop,
        users: extracted.length,
        seconds,
        usersPerSecond: Number((extracted.length / seconds).toFixed(1)),
        ...(sample ? { extrapolatedSecondsAllUsers: Math.round((seconds * allUsers) / extracted.length) } : {}),
        reachable: { median: sizes[sizes.length >> 1], p90: sizes[Math.floor(sizes.length * 0.9)], max: sizes[sizes.length - 1], items: data.items.ids.length },
        ...(intermediate ? { intermediate } : {}),
        dbHitsFirst100Users: profile.dbHits,
      });
      log(`khop ${khop}: ${seconds.toFixed(1)}s for ${extracted.length} users, reachable median ${sizes[sizes.length >> 1]}, db hits (100 users) ${profile.dbHits}`);
    }
    if (epochs === 0) {
      publishBenchResult(`recns-${name}`, { bench: 'recns', dataset: name, backend: backend.name, sampledUsers: sample ? { count: sample.length, seed: 1 } : null, regions, environment: benchEnvironment() }, log);
      return;
    }
    const khop3 = (await cachedReachableItems(runner, data, split.train, 3)).sets;

    const epochSeconds = async (sampler: string) => {
      const entry = samplerEntry(sampler);
      const model = new LightGcn({ users: split.numUsers, items: split.numItems, dim: 64, l2: 1e-4, seed: 1 }, split.train);
      const region = sampler === 'recns' ? new RegionFilter('intermediate', khop3, split.train) : undefined;
      const result = await trainModel({
        model,
        sampler: entry.create({ train: split.train, numItems: split.numItems, itemCounts: split.itemCounts, rng: new Rng(3), ...(region ? { region } : {}) }, samplerDefaults(sampler)),
        optimizer: new Adam(),
        loss: makeLoss({ name: 'hinge', margin: 0.1 }),
        data: split,
        config: { epochs, maxEpochs: epochs, batchSize: 2048, negatives: 15, evalEvery: 1_000_000, patience: 1_000_000, selectMetric: 'recall@20', seed: 1 },
        onEpoch: (e) => log(`LightGCN + ${sampler} epoch ${e.epoch}: ${e.seconds.toFixed(2)}s (sampling ${e.sampleSeconds.toFixed(2)}s)`),
      });
      propagation = model.propagationRoute;
      model.dispose();
      return result.epochs.map((e) => ({ seconds: e.seconds, sampleSeconds: e.sampleSeconds }));
    };
    let propagation = '';
    const uniform = await epochSeconds('uniform');
    const recns = await epochSeconds('recns');
    const med = (rows: Array<{ seconds: number }>) => median(rows.map((r) => r.seconds));
    const result = {
      bench: 'recns',
      dataset: name,
      backend: backend.name,
      sampledUsers: sample ? { count: sample.length, seed: 1 } : null,
      regions,
      lightgcnEpochs: {
        propagation,
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

/** count distinct user indices out of n, drawn with seed 1 (a partial Fisher-Yates shuffle), in ascending order. */
function sampleUsers(n: number, count: number): Int32Array {
  const rng = new Rng(1);
  const order = Int32Array.from({ length: n }, (_, u) => u);
  const take = Math.min(count, n);
  for (let k = 0; k < take; k += 1) {
    const j = k + rng.nextInt(n - k);
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  return order.slice(0, take).sort();
}
