/**
 * Stage 7, write back: every user's top K (items not interacted with in any
 * split) and the final vectors go to Neo4j as a new run, switched in
 * atomically; a sampler that can explain its negatives (KGPolicy) has them
 * stored next to the run.
 */
import { Rng } from '../../../base/rng.js';
import { rankUsers } from '../../../eval/full-ranking.js';
import { writeExplanations, type ExplanationRow } from '../../../graph/explanations.js';
import type { QueryRunner } from '../../../graph/query-runner.js';
import { writeBackRun, type WriteBackResult } from '../../../graph/write-back.js';
import { resolveGraphMapping } from '../../../graph/mapping/graph-source.js';
import { storedGraphMapping } from '../../../graph/training-data.js';
import type { PathNode, Sampler } from '../../../sampling/types.js';
import type { Model } from '../../../train/models/types.js';
import type { TrainOptions } from '../options.js';
import type { RunData } from './load-data.js';

export interface RunSummary {
  readonly commit: string;
  readonly backend: string;
  readonly bestEpoch: number;
  readonly final: Record<string, number>;
  readonly timings: Record<string, number>;
  /** The run's model.ckpt (absolute path): what a later --warm-start reads. */
  readonly checkpoint: string;
  /** The run this one was warm-started from. */
  readonly warmStartedFrom?: string;
}

export async function writeBackModel(
  runner: QueryRunner,
  run: RunData,
  model: Model,
  options: TrainOptions,
  summary: RunSummary,
  onProgress: (done: number, total: number) => void,
): Promise<WriteBackResult> {
  const { split, data } = run;
  const embeddings = model.finalEmbeddings();
  const users = Array.from({ length: split.numUsers }, (_, u) => u);
  const recommendations: Array<{ itemIdxs: Int32Array; scores: Float32Array }> = new Array(split.numUsers);
  // Serve what the user has not interacted with at all (any split).
  await rankUsers(embeddings, users, [split.train, split.valid, split.test], options.topK, (u, itemIdxs, scores) => {
    recommendations[u] = { itemIdxs: itemIdxs.slice(), scores: scores.slice() };
  });
  const result = await writeBackRun(runner, {
    dataset: options.dataset,
    dim: embeddings.dim,
    userIds: data.users.ids,
    itemIds: data.items.ids,
    users: embeddings.users,
    items: embeddings.items,
    recommendations,
    runProperties: {
      model: options.model,
      sampler: options.sampler,
      seed: options.seed,
      backend: summary.backend,
      commit: summary.commit,
      configJson: JSON.stringify(options),
      metricsJson: JSON.stringify(summary.final),
      timingsJson: JSON.stringify(summary.timings),
      bestEpoch: summary.bestEpoch,
      topK: options.topK,
      // What the run read, for `stats`: what arrived since is the difference.
      interactionsRead: data.interactions.userIdxs.length,
      dataReadAtEpochMillis: data.readAt,
      checkpoint: summary.checkpoint,
      ...(summary.warmStartedFrom ? { warmStartedFrom: summary.warmStartedFrom } : {}),
    },
    batchSize: options.writeBatchSize,
    onProgress: (_phase, done, total) => onProgress(done, total),
    ...(data.dataset.format === ('graph' as string)
      ? { target: await resolveGraphMapping(runner, storedGraphMapping(data.dataset), `the mapping of dataset '${options.dataset}'`) }
      : {}),
  });
  return result;
}

/** The sampler's explained negatives, with ids in place of indices, stored under the run. */
export async function writeSamplerExplanations(
  runner: QueryRunner,
  run: RunData,
  sampler: Sampler,
  model: Model,
  options: TrainOptions,
  runId: string,
): Promise<{ rows: number; viaGraph: number; seconds: number } | undefined> {
  if (!sampler.explainNegatives) return undefined;
  const began = Date.now();
  const explained = sampler.explainNegatives(model, new Rng(options.seed ^ 0xe8a1));
  const { users, items } = run.data;
  const entities = run.kgAdjacency?.entities.ids ?? [];
  const name = (node: PathNode): string =>
    node.kind === 'user' ? `user:${String(users.ids[node.idx])}` : node.kind === 'item' ? `item:${String(items.ids[node.idx])}` : `entity:${String(entities[node.idx])}`;
  const rows: ExplanationRow[] = explained.map((e) => ({
    user: users.ids[e.userIdx]!,
    positive: items.ids[e.positiveIdx]!,
    negative: items.ids[e.negativeIdx]!,
    path: e.path.map(name),
    viaGraph: e.viaGraph,
  }));
  await writeExplanations(runner, options.dataset, runId, rows);
  return { rows: rows.length, viaGraph: rows.filter((r) => r.viaGraph).length, seconds: (Date.now() - began) / 1000 };
}
