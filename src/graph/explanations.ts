/**
 * KGPolicy explanations in Neo4j: the exploring paths of a run's sampled
 * negatives, written as KGPOLICY_NEGATIVE relationships, and read back with the
 * KG entities of the positive that the negative lacks.
 */
import type { QueryRunner } from './query-runner.js';
import { idParam } from './values.js';
import { mappedSlots } from './recommendations.js';
import type { ExternalId } from '../base/ids.js';

export interface ExplanationRow {
  readonly user: ExternalId;
  readonly positive: ExternalId;
  readonly negative: ExternalId;
  /** "user:ID" | "item:ID" | "entity:ID", from the positive to the negative */
  readonly path: readonly string[];
  /** Every hop is an edge of the graph (no random diversity item on the way). */
  readonly viaGraph: boolean;
}

export async function writeExplanations(runner: QueryRunner, dataset: string, runId: string, rows: readonly ExplanationRow[]): Promise<number> {
  const mapped = await mappedSlots(runner, dataset);
  await runner.writeBatches(mapped ? 'mapped/write-explanations' : 'kgpolicy/write-explanations', rows, { params: { dataset, runId }, batchSize: 2_000, ...(mapped ? { slots: mapped } : {}) });
  return rows.length;
}

export interface Explanation {
  readonly positive: ExternalId;
  readonly negative: ExternalId;
  readonly path: string[];
  readonly viaGraph: boolean;
  readonly exclusiveEntities: ExternalId[];
  readonly runId: string;
}

export async function explanationsForUser(runner: QueryRunner, dataset: string, userId: ExternalId): Promise<Explanation[]> {
  const mapped = await mappedSlots(runner, dataset);
  if (mapped) return runner.read<Explanation>('mapped/explain-negative', { dataset, userId: String(userId) }, mapped);
  return runner.read<Explanation>('kgpolicy/explain-negative', { dataset, userId });
}

/**
 * Readable names for the nodes of explanation paths on a mapped graph
 * ('entity:<elementId>' and 'item:<id>' tokens): "Person Steven Spielberg",
 * "Movie Jurassic Park (1993)". Empty for kgneg's own layout, whose paths
 * carry the dataset's own ids.
 */
export async function pathNodeNames(runner: QueryRunner, dataset: string, paths: readonly (readonly string[])[]): Promise<Map<string, string>> {
  const mapped = await mappedSlots(runner, dataset);
  const names = new Map<string, string>();
  if (!mapped) return names;
  const tokens = [...new Set(paths.flat())];
  const entityIds = tokens.filter((t) => t.startsWith('entity:')).map((t) => t.slice('entity:'.length));
  const itemIds = tokens.filter((t) => t.startsWith('item:')).map((t) => t.slice('item:'.length));
  // Item ids in a path are text; the graph's may be integers: ask for both forms.
  const itemParams = itemIds.flatMap((id) => (/^-?\d+$/.test(id) ? [id, idParam(Number(id))] : [id]));
  const rows = await runner.read<{ key: string; label: string | null; name: string | null }>('mapped/path-node-names', { entityIds, itemIds: itemParams }, mapped);
  for (const row of rows) names.set(row.key, row.name ? `${row.label ?? ''} ${row.name}`.trim() : row.key);
  return names;
}
