/**
 * A user the served run has no vector for, but who has interactions now (a
 * user who arrived after the run): fitted against the run's item vectors
 * (src/train/fold-in.ts) and ranked, without retraining.
 */
import type { ExternalId } from '../../base/ids.js';
import { servedItemVectors, type UserState } from '../../graph/fold-in-data.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { DEFAULT_FOLD_IN, foldInUser, topKFor } from '../../train/fold-in.js';

export interface FoldedIn {
  readonly rows: ReadonlyArray<{ itemId: ExternalId; score: number; name: string | null; rank: number }>;
  readonly interactions: number;
  readonly items: number;
  readonly milliseconds: number;
}

export async function foldInRecommendations(runner: QueryRunner, dataset: string, state: UserState, k: number, l2?: number): Promise<FoldedIn> {
  const began = Date.now();
  const served = await servedItemVectors(runner, dataset);
  const index = new Map(served.ids.map((id, i) => [id, i]));
  const positives = state.itemIds.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
  const user = foldInUser(served.vectors, served.dim, positives, { ...DEFAULT_FOLD_IN, ...(l2 === undefined ? {} : { l2 }) });
  const top = topKFor(user, served.vectors, served.dim, k, new Set(positives));
  return {
    rows: top.map((t, r) => ({ itemId: served.ids[t.itemIdx]!, score: t.score, name: served.names[t.itemIdx] ?? null, rank: r + 1 })),
    interactions: positives.length,
    items: served.ids.length,
    milliseconds: Date.now() - began,
  };
}
