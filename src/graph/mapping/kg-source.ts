/**
 * The knowledge graph and the exposures of a mapped graph, in the trainer's
 * index space: what loadItemKg (JNSKR), loadKgAdjacency (KGPolicy) and
 * loadTrainExposures read from kgneg's own layout, read here from the
 * mapping's relationship types. Every node a KG relationship touches is an
 * entity, named by its element id; a node with the item label that the
 * trainer knows (it has interactions) is that item. Each KG type is one
 * relation, numbered in the mapping's order.
 */
import type { ExternalId, IdIndex } from '../../base/ids.js';
import { idIndexOf } from '../../base/ids.js';
import type { ExposureTable } from '../exposures.js';
import type { ItemKgTable } from '../item-kg.js';
import type { QueryRunner } from '../query-runner.js';
import type { KgAdjacency } from '../walk-graph.js';
import { getDataset } from '../datasets/dataset-repository.js';
import { storedGraphMapping } from '../training-data.js';
import { resolveGraphMapping, type MappedGraph } from './graph-source.js';
import { QuotedName } from './names.js';

/** The mapped graph behind a dataset name, or undefined for a dataset in kgneg's own layout. */
export async function mappedGraphOf(runner: QueryRunner, dataset: string): Promise<MappedGraph | undefined> {
  const record = await getDataset(runner, dataset);
  if (!record || record.format !== ('graph' as string)) return undefined;
  return resolveGraphMapping(runner, storedGraphMapping(record), `the mapping of dataset '${dataset}'`);
}

interface KgEdge {
  readonly relation: number;
  readonly a: string;
  readonly aItem: ExternalId | null;
  readonly b: string;
  readonly bItem: ExternalId | null;
}

async function kgEdges(runner: QueryRunner, graph: MappedGraph): Promise<KgEdge[]> {
  const relationOf = new Map(graph.mapping.kg.map((entry, k) => [entry.type, k]));
  const edges: KgEdge[] = [];
  if (graph.kgTypes.length === 0) return edges;
  await runner.stream(
    'mapped/stream-kg-edges',
    { itemId: graph.mapping.items.id },
    (fields) => {
      const [type, a, aItem, b, bItem] = fields as [string, string, ExternalId | null, string, ExternalId | null];
      edges.push({ relation: relationOf.get(type)!, a, aItem, b, bItem });
    },
    { slots: { types: QuotedName.list(graph.kgTypes), itemLabel: graph.itemLabel }, restart: () => (edges.length = 0) },
  );
  return edges;
}

/** Each item's (relation, entity) pairs, the inverse relation r + R for triples that point at the item. */
export async function loadMappedItemKg(runner: QueryRunner, graph: MappedGraph, items: IdIndex): Promise<ItemKgTable> {
  const began = Date.now();
  const edges = await kgEdges(runner, graph);
  const entities = idIndexOf([...new Set(edges.flatMap((e) => [e.a, e.b]))].sort());
  const count = graph.mapping.kg.length;
  const itemIdxs: number[] = [];
  const relationIdxs: number[] = [];
  const entityIdxs: number[] = [];
  for (const e of edges) {
    const head = e.aItem === null ? undefined : items.indexOf.get(e.aItem);
    const tail = e.bItem === null ? undefined : items.indexOf.get(e.bItem);
    if (head !== undefined) {
      itemIdxs.push(head);
      relationIdxs.push(e.relation);
      entityIdxs.push(entities.indexOf.get(e.b)!);
    }
    if (tail !== undefined) {
      itemIdxs.push(tail);
      relationIdxs.push(e.relation + count);
      entityIdxs.push(entities.indexOf.get(e.a)!);
    }
  }
  return {
    entities,
    relationIds: graph.mapping.kg.map((_, k) => k),
    numRelations: 2 * count,
    itemIdxs: Int32Array.from(itemIdxs),
    relationIdxs: Int32Array.from(relationIdxs),
    entityIdxs: Int32Array.from(entityIdxs),
    seconds: (Date.now() - began) / 1000,
  };
}

/** KGPolicy's walk graph: users, then items, then the entities that are not (known) items; each edge both ways. */
export async function loadMappedKgAdjacency(runner: QueryRunner, graph: MappedGraph, users: IdIndex, items: IdIndex): Promise<KgAdjacency> {
  const began = Date.now();
  const edges = await kgEdges(runner, graph);
  const itemOf = (itemId: ExternalId | null) => (itemId === null ? undefined : items.indexOf.get(itemId));
  const pure = new Set<string>();
  for (const e of edges) {
    if (itemOf(e.aItem) === undefined) pure.add(e.a);
    if (itemOf(e.bItem) === undefined) pure.add(e.b);
  }
  const entities = idIndexOf([...pure].sort());
  const base = users.ids.length;
  const entityBase = base + items.ids.length;
  const node = (ref: string, itemId: ExternalId | null) => {
    const item = itemOf(itemId);
    return item !== undefined ? base + item : entityBase + entities.indexOf.get(ref)!;
  };
  const from = new Int32Array(2 * edges.length);
  const to = new Int32Array(2 * edges.length);
  edges.forEach((e, k) => {
    const a = node(e.a, e.aItem);
    const b = node(e.b, e.bItem);
    from[2 * k] = a;
    to[2 * k] = b;
    from[2 * k + 1] = b;
    to[2 * k + 1] = a;
  });
  return { entities, from, to, seconds: (Date.now() - began) / 1000 };
}

/** Exposures between mapped users and items, grouped by user (the caller drops those interacted with in training). */
export async function loadMappedExposures(runner: QueryRunner, graph: MappedGraph, users: IdIndex, items: IdIndex): Promise<ExposureTable> {
  const began = Date.now();
  const rows: Array<[number, number, number]> = [];
  for (const type of graph.exposureTypes) {
    let part: Array<[number, number, number]> = [];
    await runner.stream(
      'mapped/stream-exposures',
      { userId: graph.mapping.users.id, itemId: graph.mapping.items.id },
      (fields) => {
        const [userId, itemId, shown] = fields as [ExternalId, ExternalId, number];
        const u = users.indexOf.get(userId);
        const i = items.indexOf.get(itemId);
        // Users and items without interactions have no rows in the trainer: their exposures cannot be negatives of anyone.
        if (u !== undefined && i !== undefined) part.push([u, i, Number(shown)]);
      },
      { slots: { userLabel: graph.userLabel, itemLabel: graph.itemLabel, type }, restart: () => (part = []) },
    );
    rows.push(...part);
  }
  rows.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return {
    userIdxs: Int32Array.from(rows, (r) => r[0]),
    itemIdxs: Int32Array.from(rows, (r) => r[1]),
    counts: Int32Array.from(rows, (r) => r[2]),
    usersWithExposures: new Set(rows.map((r) => r[0])).size,
    seconds: (Date.now() - began) / 1000,
  };
}
