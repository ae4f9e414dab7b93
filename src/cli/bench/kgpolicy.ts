/**
 * `npm run bench -- kgpolicy [--dataset lastfm-kgcn] [--epochs 2] [--policy-every 1]`
 *
 * Seconds per epoch of MF + KGPolicy against MF + DNS in the same process
 * (MF d 64, batch 1024, the KGPolicy defaults), KGPolicy's split into the
 * Cypher neighbourhood read (once per run), the neighbour-table draw (per
 * epoch), the graph learning module (forward and backward), the walks
 * (pruning, attention, rewards) and the recommender's steps; and their ratio.
 * The paper reports 232 s (KGPolicy) vs 116 s (DNS) per epoch on Yelp2018.
 */
import { loadKgAdjacency } from '../../graph/walk-graph.js';
import { samplerEntry, samplerOptions } from '../../sampling/registry.js';
import { Rng } from '../../base/rng.js';
import type { Sampler } from '../../sampling/types.js';
import { makeLoss } from '../../train/losses.js';
import { MatrixFactorization } from '../../train/models/mf.js';
import { Adam } from '../../train/optim/adam.js';
import { trainModel } from '../../train/trainer.js';
import { CONNECTION_FLAGS, intFlag, parseFlags } from '../options.js';
import { withBenchDataset } from './dataset.js';
import { benchEnvironment, median, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, epochs: { type: 'string' }, 'policy-every': { type: 'string' } } as const;

export async function benchKgpolicy(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- kgpolicy', argv, FLAGS, '  --dataset NAME (lastfm-kgcn)  --epochs N (2)  --policy-every N (1)');
  const name = values.dataset ?? 'lastfm-kgcn';
  const epochs = intFlag('epochs', values.epochs, 2);
  const policyEvery = intFlag('policy-every', values['policy-every'], 1);
  return withBenchDataset(values, name, async ({ runner, backend, data, split, log }) => {
    const kg = await loadKgAdjacency(runner, name, data.users, data.items);
    log(`walk graph from Cypher: ${kg.from.length} directed KG edges, ${kg.entities.ids.length} entities besides items, ${kg.seconds.toFixed(2)}s`);

    const run = async (sampler: string) => {
      const entry = samplerEntry(sampler);
      const model = new MatrixFactorization({ users: split.numUsers, items: split.numItems, dim: 64, l2: 1e-5, seed: 1 });
      const instance: Sampler = entry.create(
        {
          train: split.train,
          numItems: split.numItems,
          itemCounts: split.itemCounts,
          rng: new Rng(3),
          knowledgeGraph: { from: kg.from, to: kg.to, entities: kg.entities.ids.length },
        },
        samplerOptions(sampler, sampler === 'kgpolicy' ? { policyEvery } : {}),
      );
      const rows: Array<Record<string, number>> = [];
      let before: Record<string, number> = { ...(instance.stats?.() ?? {}) };
      const result = await trainModel({
        model,
        sampler: instance,
        optimizer: new Adam(),
        loss: makeLoss({ name: 'bpr' }),
        data: split,
        config: { epochs, maxEpochs: epochs, batchSize: 1024, negatives: 1, evalEvery: 1_000_000, patience: 1_000_000, selectMetric: 'recall@20', seed: 1 },
        onEpoch: (e) => {
          const after: Record<string, number> = { ...(instance.stats?.() ?? {}) };
          const previous = before;
          before = after;
          const delta = (key: string) => (after[key] ?? 0) - (previous[key] ?? 0);
          const row = {
            seconds: e.seconds,
            samplerSeconds: e.sampleSeconds,
            recommenderStepSeconds: e.stepSeconds,
            ...(sampler === 'kgpolicy'
              ? { neighbourTableSeconds: delta('neighbourTableSeconds'), graphLearningSeconds: delta('graphLearningSeconds'), walkSeconds: delta('walkSeconds') }
              : {}),
          };
          rows.push(row);
          log(`MF + ${sampler} epoch ${e.epoch}: ${JSON.stringify(row)}`);
        },
      });
      instance.dispose?.();
      return { epochs: rows, medianSeconds: median(result.epochs.map((e) => e.seconds)), stats: instance.stats?.() ?? {} };
    };
    const dns = await run('dns');
    const kgpolicy = await run('kgpolicy');
    publishBenchResult(
      `kgpolicy-${name}`,
      {
        bench: 'kgpolicy',
        dataset: name,
        backend: backend.name,
        trainPairs: split.train.indices.length,
        batchSize: 1024,
        policyEvery,
        cypherNeighbourhoodSeconds: kg.seconds,
        walkGraph: { nodes: kgpolicy.stats['nodes'], edges: kgpolicy.stats['edges'] },
        dns: { epochs: dns.epochs, medianSeconds: dns.medianSeconds },
        kgpolicy: { epochs: kgpolicy.epochs, medianSeconds: kgpolicy.medianSeconds, samplerStats: kgpolicy.stats },
        kgpolicyOverDns: Number((kgpolicy.medianSeconds / dns.medianSeconds).toFixed(2)),
        paperYelp2018: { kgpolicySeconds: 232, dnsSeconds: 116, ratio: 2 },
        environment: benchEnvironment(),
      },
      log,
    );
  });
}
