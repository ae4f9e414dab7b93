/**
 * KGPolicy's walk graph out of Neo4j: the KG adjacency of every entity, read
 * in batches of entities (UNWIND $batch, concurrent), in a node space shared
 * with the trainer's users and items:
 *   [0, users)                     users
 *   [users, users + items)         items (an item aligned with a KG entity is that entity)
 *   [users + items, ...)           KG entities that are not items
 * The user-item edges are not read here: they are the trainer's training
 * pairs (a carved validation split must not leak into the walks).
 */
import { KgnegError } from './errors.js';
import type { QueryRunner } from './query-runner.js';
import type { IdIndex } from '../base/ids.js';
import { loadIdIndex } from './training-data.js';
import { loadMappedKgAdjacency, mappedGraphOf } from './mapping/kg-source.js';
import type { ExternalId } from '../base/ids.js';

export interface KgAdjacency {
  /** KG entities that are not items, in id order (node users + items + k). */
  readonly entities: IdIndex;
  /** Undirected KG edges as node pairs (each edge once per direction it was read from). */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly seconds: number;
}

const ENTITIES_PER_BATCH = 2_000;

export async function loadKgAdjacency(runner: QueryRunner, dataset: string, users: IdIndex, items: IdIndex): Promise<KgAdjacency> {
  const mapped = await mappedGraphOf(runner, dataset);
  if (mapped) return loadMappedKgAdjacency(runner, mapped, users, items);
  const began = Date.now();
  const all = await loadIdIndex(runner, 'kg/list-entity-ids', dataset);
  // Which entities are items comes back with the neighbours; collect first, then place.
  const rows: Array<{ entityId: ExternalId; itemId: ExternalId | null; neighbours: ExternalId[] }> = [];
  await runner.readBatches(
    'kgpolicy/kg-neighbours-by-entity',
    all.ids,
    (fields) => {
      const [entityId, itemId, neighbours] = fields as [ExternalId, ExternalId | null, ExternalId[]];
      rows.push({ entityId, itemId, neighbours });
    },
    { params: { dataset }, batchSize: ENTITIES_PER_BATCH },
  );
  const itemOfEntity = new Map<ExternalId, number>();
  for (const row of rows) {
    if (row.itemId === null) continue;
    const item = items.indexOf.get(row.itemId);
    if (item === undefined) throw new KgnegError(`dataset '${dataset}': entity ${String(row.entityId)} names item ${String(row.itemId)}, which the trainer does not know`);
    itemOfEntity.set(row.entityId, item);
  }
  const pure = all.ids.filter((id) => !itemOfEntity.has(id));
  const entities: IdIndex = { ids: pure, indexOf: new Map(pure.map((id, k) => [id, k])) };
  const base = users.ids.length;
  const entityBase = base + items.ids.length;
  const node = (entityId: ExternalId): number => {
    const item = itemOfEntity.get(entityId);
    if (item !== undefined) return base + item;
    const k = entities.indexOf.get(entityId);
    if (k === undefined) throw new KgnegError(`dataset '${dataset}': KG neighbour ${String(entityId)} is not an entity of the dataset`);
    return entityBase + k;
  };
  const from: number[] = [];
  const to: number[] = [];
  for (const row of rows) {
    const a = node(row.entityId);
    for (const neighbour of row.neighbours) {
      from.push(a);
      to.push(node(neighbour));
    }
  }
  return { entities, from: Int32Array.from(from), to: Int32Array.from(to), seconds: (Date.now() - began) / 1000 };
}
