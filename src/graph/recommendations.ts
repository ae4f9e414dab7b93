/** Reading the current run's recommendations back, exactly as a Cypher user would. */
import { KgnegError } from './errors.js';
import type { QueryRunner } from './query-runner.js';
import type { ExternalId } from '../base/ids.js';
import { idParam, intParam } from './values.js';

export interface Recommendation {
  readonly itemId: ExternalId;
  readonly rank: number;
  readonly score: number;
  readonly runId: string;
}

export async function recommendationsForUser(runner: QueryRunner, dataset: string, userId: ExternalId, k: number): Promise<Recommendation[]> {
  return runner.read<Recommendation>('runs/recommendations-for-user', { dataset, userId: idParam(userId), k: intParam(k) });
}

export interface NearestItem {
  readonly itemId: ExternalId;
  readonly score: number;
  readonly distanceScore: number;
}

export async function nearestItemsForUser(
  runner: QueryRunner,
  dataset: string,
  userId: ExternalId,
  k: number,
  /** HNSW candidates; default: all the dataset's items, which makes the answer exact. */
  candidates?: number,
): Promise<NearestItem[]> {
  return runner.read<NearestItem>('runs/nearest-items-for-user', {
    dataset,
    userId: idParam(userId),
    k: intParam(k),
    candidates: candidates === undefined ? null : intParam(candidates),
  });
}

/** A user id typed in on the command line, matched against the dataset's id type. */
export function parseUserId(text: string, idTypesJson: string | undefined): ExternalId {
  const userType = idTypesJson ? (JSON.parse(idTypesJson) as { user?: string }).user : undefined;
  if (userType === 'int') {
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw new KgnegError(`user ids of this dataset are integers, got '${text}'`, { exitCode: 2 });
    return value;
  }
  return text;
}
