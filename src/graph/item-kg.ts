/**
 * Each item's KG neighbourhood as (relation, tail entity) pairs, out of Neo4j
 * in one stream into typed arrays: a triple (item, r, e) gives the item the
 * pair (r, e); a triple (e, r, item) gives it (r^-1, e), the inverse relation
 * numbered r + R, as the JNSKR code adds inverse triples. Relation indices
 * follow the sorted relation ids; a relation-less KG (amazon-book's
 * item-entity edges) has the single relation -1.
 */
import { KgnegError } from './errors.js';
import type { QueryRunner } from './query-runner.js';
import type { IdIndex } from '../base/ids.js';
import { loadIdIndex } from './training-data.js';
import { loadMappedItemKg, mappedGraphOf } from './mapping/kg-source.js';
import type { ExternalId } from '../base/ids.js';

export interface ItemKgTable {
  readonly entities: IdIndex;
  /** Distinct relation ids, sorted; relation index r < R is relationIds[r], r + R its inverse. */
  readonly relationIds: readonly number[];
  /** 2R */
  readonly numRelations: number;
  readonly itemIdxs: Int32Array;
  readonly relationIdxs: Int32Array;
  readonly entityIdxs: Int32Array;
  readonly seconds: number;
}

export async function loadItemKg(runner: QueryRunner, dataset: string, items: IdIndex): Promise<ItemKgTable> {
  const mapped = await mappedGraphOf(runner, dataset);
  if (mapped) return loadMappedItemKg(runner, mapped, items);
  const began = Date.now();
  const entities = await loadIdIndex(runner, 'kg/list-entity-ids', dataset);
  const rows: Array<[number, number, boolean, number]> = [];
  const relationSet = new Set<number>();
  await runner.stream('kg/stream-item-triples', { dataset }, (fields) => {
    const [itemId, relationId, outgoing, entityId] = fields as [ExternalId, number, boolean, ExternalId];
    const item = items.indexOf.get(itemId);
    const entity = entities.indexOf.get(entityId);
    if (item === undefined || entity === undefined) {
      throw new KgnegError(`dataset '${dataset}' has a KG triple (${String(itemId)}, ${relationId}, ${String(entityId)}) the trainer cannot place`);
    }
    relationSet.add(relationId);
    rows.push([item, relationId, outgoing, entity]);
  }, {
    restart: () => {
      rows.length = 0;
      relationSet.clear();
    },
  });
  const relationIds = [...relationSet].sort((a, b) => a - b);
  const relationIndex = new Map(relationIds.map((id, r) => [id, r]));
  const count = relationIds.length;
  return {
    entities,
    relationIds,
    numRelations: 2 * count,
    itemIdxs: Int32Array.from(rows, (r) => r[0]),
    relationIdxs: Int32Array.from(rows, (r) => relationIndex.get(r[1])! + (r[2] ? 0 : count)),
    entityIdxs: Int32Array.from(rows, (r) => r[3]),
    seconds: (Date.now() - began) / 1000,
  };
}
