/**
 * Exposure records for training, out of Neo4j in one stream into typed arrays
 * (user index, item index, times shown), in the trainer's index space.
 */
import { KgnegError } from './errors.js';
import type { QueryRunner } from './query-runner.js';
import type { IdIndex } from './training-data.js';
import type { ExternalId } from './datasets/records.js';

export interface ExposureTable {
  readonly userIdxs: Int32Array;
  readonly itemIdxs: Int32Array;
  /** Times the item was shown to the user in training impressions. */
  readonly counts: Int32Array;
  readonly seconds: number;
}

export async function loadTrainExposures(runner: QueryRunner, dataset: string, users: IdIndex, items: IdIndex): Promise<ExposureTable> {
  const began = Date.now();
  const u: number[] = [];
  const i: number[] = [];
  const c: number[] = [];
  await runner.stream('exposures/stream-train-exposures', { dataset }, (fields) => {
    const [userId, itemId, count] = fields as [ExternalId, ExternalId, number];
    const userIdx = users.indexOf.get(userId);
    const itemIdx = items.indexOf.get(itemId);
    if (userIdx === undefined || itemIdx === undefined) {
      throw new KgnegError(`dataset '${dataset}' has an exposure (${String(userId)}, ${String(itemId)}) the trainer cannot place`);
    }
    u.push(userIdx);
    i.push(itemIdx);
    c.push(count);
  });
  return { userIdxs: Int32Array.from(u), itemIdxs: Int32Array.from(i), counts: Int32Array.from(c), seconds: (Date.now() - began) / 1000 };
}
