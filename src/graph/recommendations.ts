/** Reading the current run's recommendations back, exactly as a Cypher user would. */
import { KgnegError } from './errors.js';
import type { CypherSlots } from './cypher.js';
import { getDataset } from './datasets/dataset-repository.js';
import { resolveGraphMapping } from './mapping/graph-source.js';
import { QuotedName } from './mapping/names.js';
import { storedGraphMapping } from './training-data.js';
import type { QueryRunner } from './query-runner.js';
import type { ExternalId } from '../base/ids.js';
import { idParam, intParam } from './values.js';

/**
 * What a person reads an item by: its title (RecBole .item, MIND news.tsv),
 * else its id in the raw source (KGAT item_list.txt's org_id, an Amazon ASIN;
 * KGCN's original artist id), else null.
 */
export type DisplayName = string | null;

export interface Recommendation {
  readonly itemId: ExternalId;
  readonly rank: number;
  readonly score: number;
  readonly runId: string;
  readonly name: DisplayName;
}

export async function recommendationsForUser(runner: QueryRunner, dataset: string, userId: ExternalId, k: number): Promise<Recommendation[]> {
  const mapped = await mappedSlots(runner, dataset);
  if (mapped) return runner.read<Recommendation>('mapped/recommendations-for-user', { dataset, userId: String(userId), k: intParam(k) }, mapped);
  return runner.read<Recommendation>('runs/recommendations-for-user', { dataset, userId: idParam(userId), k: intParam(k) });
}

/**
 * The slots of a mapped graph's serving queries (its own labels, id and
 * title properties, interaction types), or undefined for an ingested dataset.
 */
export async function mappedSlots(runner: QueryRunner, dataset: string): Promise<CypherSlots | undefined> {
  const record = await getDataset(runner, dataset);
  if (!record || record.format !== ('graph' as string)) return undefined;
  const graph = await resolveGraphMapping(runner, storedGraphMapping(record), `the mapping of dataset '${dataset}'`);
  return {
    userLabel: graph.userLabel,
    itemLabel: graph.itemLabel,
    userId: graph.userId,
    itemId: graph.itemId,
    title: graph.itemTitle ?? graph.itemId,
    types: QuotedName.list(graph.interactionTypes),
    // A mapping without KG types has no explanations to read; the interaction types stand in so that the slot is filled.
    kgTypes: QuotedName.list(graph.kgTypes.length > 0 ? graph.kgTypes : graph.interactionTypes),
  };
}

export interface NearestItem {
  readonly itemId: ExternalId;
  readonly score: number;
  readonly distanceScore: number;
  readonly name: DisplayName;
}

export async function nearestItemsForUser(
  runner: QueryRunner,
  dataset: string,
  userId: ExternalId,
  k: number,
  /** HNSW candidates; default: all the dataset's items, which makes the answer exact. */
  candidates?: number,
): Promise<NearestItem[]> {
  const mapped = await mappedSlots(runner, dataset);
  return runner.read<NearestItem>(
    mapped ? 'mapped/nearest-items-for-user' : 'runs/nearest-items-for-user',
    {
      dataset,
      userId: mapped ? String(userId) : idParam(userId),
      k: intParam(k),
      candidates: candidates === undefined ? null : intParam(candidates),
    },
    mapped,
  );
}

export interface UserItem {
  readonly itemId: ExternalId;
  readonly name: DisplayName;
  /** Where the dataset has ratings; the highest when the user rated the item more than once. */
  readonly rating: number | null;
  /** Where the dataset has times: the last one (seconds since the epoch). */
  readonly latest: number | null;
}

export interface UserTrainingItems {
  /** How many training items the user has (0 for an unknown user). */
  readonly total: number;
  /** At most `limit` of them: the best rated first, then the latest, then by item id. */
  readonly items: readonly UserItem[];
}

/** A few of a user's own training items with their names, to judge a recommendation list by. */
export async function userTrainingItems(runner: QueryRunner, dataset: string, userId: ExternalId, limit = 5): Promise<UserTrainingItems> {
  const mapped = await mappedSlots(runner, dataset);
  const [row] = mapped
    ? await runner.read<UserTrainingItems>('mapped/user-items', { userId: String(userId), limit: intParam(limit) }, mapped)
    : await runner.read<UserTrainingItems>('runs/user-training-items', { dataset, userId: idParam(userId), limit: intParam(limit) });
  return row ?? { total: 0, items: [] };
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
