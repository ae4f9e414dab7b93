/**
 * KGPolicy explanations in Neo4j: the exploring paths of a run's sampled
 * negatives, written as KGPOLICY_NEGATIVE relationships, and read back with the
 * KG entities of the positive that the negative lacks.
 */
import type { QueryRunner } from './query-runner.js';
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
