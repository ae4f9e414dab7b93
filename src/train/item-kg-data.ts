/** Each item's KG pairs as read from Neo4j, regrouped into a CSR over item indices (JNSKR's input). */
import type { ItemKgTable } from '../graph/item-kg.js';
import type { ItemKgCsr } from './models/jnskr.js';

export function itemKgCsr(table: ItemKgTable, numItems: number): ItemKgCsr {
  const counts = new Int32Array(numItems + 1);
  for (const v of table.itemIdxs) counts[v + 1]! += 1;
  for (let v = 0; v < numItems; v += 1) counts[v + 1]! += counts[v]!;
  const fill = counts.slice(0, numItems);
  const relationIdxs = new Int32Array(table.itemIdxs.length);
  const entityIdxs = new Int32Array(table.itemIdxs.length);
  table.itemIdxs.forEach((v, k) => {
    const at = fill[v]!++;
    relationIdxs[at] = table.relationIdxs[k]!;
    entityIdxs[at] = table.entityIdxs[k]!;
  });
  return { numEntities: table.entities.ids.length, numRelations: table.numRelations, indptr: counts, relationIdxs, entityIdxs };
}

