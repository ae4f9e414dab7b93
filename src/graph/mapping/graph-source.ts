/**
 * A graph already in Neo4j, read through its mapping ("source": "graph").
 * Nothing of it is copied: its interactions are streamed from the user's own
 * labels and relationship types, and their split is derived from the
 * mapping's rule and seed each time (it depends only on each interaction's
 * key and time, see src/graph/datasets/split.ts), so the user's graph never
 * holds kgneg's split.
 */
import { createHash } from 'node:crypto';
import type { ExternalId } from '../../base/ids.js';
import { assignSplits } from '../datasets/split.js';
import type { InteractionRecord } from '../datasets/records.js';
import type { QueryRunner } from '../query-runner.js';
import { LiveNames, QuotedName } from './names.js';
import { MappingError, type GraphMapping } from './schema.js';

/** kgneg's own labels and types: a mapping naming them would mix the user's graph with kgneg's ingested datasets. */
const OWN_LABELS = ['User', 'Item', 'Entity', 'Dataset', 'Run', 'Migration', 'MigrationLock'];
const OWN_TYPES = ['INTERACTED', 'EXPOSED', 'KG', 'RECOMMENDED', 'CURRENT_RUN', 'KGPOLICY_NEGATIVE', 'KGNEG_RECOMMENDED'];

export interface MappedGraph {
  readonly mapping: GraphMapping;
  readonly userLabel: QuotedName;
  readonly itemLabel: QuotedName;
  readonly interactionTypes: readonly QuotedName[];
  readonly exposureTypes: readonly QuotedName[];
  readonly kgTypes: readonly QuotedName[];
  /** The id and title properties, quoted, for statements that look nodes up by id (write-back). */
  readonly userId: QuotedName;
  readonly itemId: QuotedName;
  readonly itemTitle?: QuotedName;
}

/** Every name of the mapping checked against the live database; kgneg's own names and overlaps refused. */
export async function resolveGraphMapping(runner: QueryRunner, mapping: GraphMapping, where = 'mapping'): Promise<MappedGraph> {
  const live = await LiveNames.read(runner);
  const own = (name: string, path: string, kind: 'label' | 'relationship type') => {
    if ((kind === 'label' ? OWN_LABELS : OWN_TYPES).includes(name)) {
      throw new MappingError(
        `${where}: ${path}: ${JSON.stringify(name)} is a ${kind} of kgneg's own (its ingested datasets use it in this database)`,
        'give your nodes and relationships their own names (e.g. Customer, Product, BOUGHT), or load the data as files with npm run migrate -- --dataset DIR',
      );
    }
  };
  own(mapping.users.label, '$.users.label', 'label');
  own(mapping.items.label, '$.items.label', 'label');
  if (mapping.users.label === mapping.items.label) throw new MappingError(`${where}: $.items.label: users and items need different labels, both are ${JSON.stringify(mapping.users.label)}`);
  const types = (list: readonly { type: string }[], key: string) =>
    list.map((entry, k) => {
      own(entry.type, `$.${key}[${k}].type`, 'relationship type');
      return live.quote(entry.type, 'relationship type', `${where}: $.${key}[${k}].type`);
    });
  const interactionTypes = types(mapping.interactions, 'interactions');
  const exposureTypes = types(mapping.exposures, 'exposures');
  const kgTypes = types(mapping.kg, 'kg');
  const roles = new Map<string, string>();
  for (const [key, list] of [['interactions', mapping.interactions], ['exposures', mapping.exposures], ['kg', mapping.kg]] as const) {
    list.forEach((entry, k) => {
      const earlier = roles.get(entry.type);
      if (earlier) throw new MappingError(`${where}: $.${key}[${k}].type: ${JSON.stringify(entry.type)} is already listed at ${earlier}; a relationship type has one role`);
      roles.set(entry.type, `$.${key}[${k}]`);
    });
  }
  mapping.interactions.forEach((entry, k) => {
    if (entry.time) live.quote(entry.time, 'property', `${where}: $.interactions[${k}].time`);
    if (entry.rating) live.quote(entry.rating, 'property', `${where}: $.interactions[${k}].rating`);
    if (entry.minRating !== undefined && !entry.rating) throw new MappingError(`${where}: $.interactions[${k}].minRating needs $.interactions[${k}].rating (the property it compares)`);
  });
  if (mapping.split.rule === 'user-time-8-1-1') {
    const untimed = mapping.interactions.findIndex((entry) => !entry.time);
    if (untimed >= 0) throw new MappingError(`${where}: $.split.rule 'user-time-8-1-1' orders by time: $.interactions[${untimed}].time is missing`);
  }
  return {
    mapping,
    userLabel: live.quote(mapping.users.label, 'label', `${where}: $.users.label`),
    itemLabel: live.quote(mapping.items.label, 'label', `${where}: $.items.label`),
    interactionTypes,
    exposureTypes,
    kgTypes,
    userId: live.quote(mapping.users.id, 'property', `${where}: $.users.id`),
    itemId: live.quote(mapping.items.id, 'property', `${where}: $.items.id`),
    ...(mapping.items.title ? { itemTitle: live.quote(mapping.items.title, 'property', `${where}: $.items.title`) } : {}),
  };
}

/**
 * The checks that read the graph: ids present on every node and unique,
 * interactions there at all. Each failure is one line with a count.
 */
export async function checkMappedGraph(runner: QueryRunner, graph: MappedGraph, where = 'mapping'): Promise<void> {
  for (const [path, label, id] of [
    ['$.users', graph.userLabel, graph.mapping.users.id],
    ['$.items', graph.itemLabel, graph.mapping.items.id],
  ] as const) {
    const [row] = await runner.read<{ nodes: number; missing: number; duplicated: number; examples: unknown[] }>('mapped/count-missing-ids', { id }, { label });
    const nodes = Number(row?.nodes ?? 0);
    if (nodes === 0) throw new MappingError(`${where}: ${path}.label: no ${label.name} nodes in the database`);
    if (Number(row!.missing) > 0) {
      throw new MappingError(`${where}: ${path}.id: ${Number(row!.missing)} of ${nodes} ${label.name} nodes have no property ${JSON.stringify(id)}`, 'every mapped node needs its id; set it, or map another property');
    }
    if (Number(row!.duplicated) > 0) {
      throw new MappingError(
        `${where}: ${path}.id: ${Number(row!.duplicated)} values of ${JSON.stringify(id)} are held by more than one ${label.name} node (e.g. ${row!.examples.map((e) => JSON.stringify(e)).join(', ')})`,
        'an id must name one node',
      );
    }
  }
}

/**
 * The mapped interactions, one record per (user, item): repeats (several
 * purchases) fold into the latest, counted in `folded`. Those rated below
 * the entry's minRating are left out before the split.
 *
 * The records come out in the order of their keys, JSON [userId, itemId]
 * compared as strings: the fold and the split then do not depend on the
 * order Neo4j streams rows in. That order is reached without a key per row:
 * each distinct id gets a rank once (keyOrderRanks), the rows are put in
 * (user rank, item rank) order by two counting sorts, stable, so that the
 * rows of one key stay in the order they came, and the fold walks each run.
 */
export async function readMappedInteractions(runner: QueryRunner, graph: MappedGraph): Promise<{ records: InteractionRecord[]; folded: number; belowMinRating: number }> {
  const users = new DenseIds();
  const items = new DenseIds();
  // One entry per row kept, across the interaction types in mapping order: the record, its user's and item's dense indices.
  const rows: InteractionRecord[] = [];
  const rowUser: number[] = [];
  const rowItem: number[] = [];
  let belowMinRating = 0;
  for (const [k, entry] of graph.mapping.interactions.entries()) {
    // A stream that restarts (a concurrent write) starts this type's rows over.
    const first = rows.length;
    let below = 0;
    await runner.stream(
      'mapped/stream-interactions',
      { userId: graph.mapping.users.id, itemId: graph.mapping.items.id, time: entry.time ?? null, rating: entry.rating ?? null },
      (fields) => {
        const [userId, itemId, time, rating] = fields as [ExternalId, ExternalId, number | null, number | null];
        if (entry.minRating !== undefined && (rating === null || rating < entry.minRating)) {
          below += 1;
          return;
        }
        rows.push({ userId, itemId, split: null, ...(time === null ? {} : { timestamp: Number(time) }), ...(rating === null ? {} : { rating: Number(rating) }) });
        rowUser.push(users.indexOf(userId));
        rowItem.push(items.indexOf(itemId));
      },
      {
        slots: { userLabel: graph.userLabel, itemLabel: graph.itemLabel, type: graph.interactionTypes[k]! },
        restart: () => {
          rows.length = rowUser.length = rowItem.length = first;
          below = 0;
        },
      },
    );
    belowMinRating += below;
  }
  // The key is "[" + JSON(u) + "," + JSON(i) + "]", and no id's JSON is another's followed by ",":
  // users ordered by JSON(u) + ",", then items by JSON(i) + "]", are the keys in string order.
  const userRank = keyOrderRanks(users.ids, ',');
  const itemRank = keyOrderRanks(items.ids, ']');
  const rowUserRank = new Int32Array(rows.length);
  const rowItemRank = new Int32Array(rows.length);
  for (let row = 0; row < rows.length; row += 1) {
    rowUserRank[row] = userRank[rowUser[row]!]!;
    rowItemRank[row] = itemRank[rowItem[row]!]!;
  }
  const byItem = stableCountingSort(identityOrder(rows.length), rowItemRank, items.ids.length);
  const order = stableCountingSort(byItem, rowUserRank, users.ids.length);

  const records: InteractionRecord[] = [];
  for (let start = 0; start < order.length; ) {
    const u = rowUserRank[order[start]!]!;
    const i = rowItemRank[order[start]!]!;
    // The latest of the key's rows; on equal times the one that came last, as if each replaced the one before.
    let kept = rows[order[start]!]!;
    let end = start + 1;
    for (; end < order.length && rowUserRank[order[end]!] === u && rowItemRank[order[end]!] === i; end += 1) {
      const row = rows[order[end]!]!;
      if (!((row.timestamp ?? 0) < (kept.timestamp ?? 0))) kept = row;
    }
    records.push(kept);
    start = end;
  }
  assignSplits(graph.mapping.split.rule, graph.mapping.split.seed, records, []);
  return { records, folded: rows.length - records.length, belowMinRating };
}

/** Ids numbered 0, 1, ... in the order they are first seen. */
class DenseIds {
  readonly ids: ExternalId[] = [];
  readonly #index = new Map<ExternalId, number>();

  indexOf(id: ExternalId): number {
    let index = this.#index.get(id);
    if (index === undefined) {
      index = this.ids.length;
      this.#index.set(id, index);
      this.ids.push(id);
    }
    return index;
  }
}

/**
 * Each id's rank in the code-unit order of JSON.stringify(id) + suffix; ids
 * with the same JSON (NaN and Infinity are both null) share a rank, as their
 * keys are the same.
 */
function keyOrderRanks(ids: readonly ExternalId[], suffix: string): Int32Array {
  const texts = ids.map((id) => JSON.stringify(id) + suffix);
  const order = ids.map((_id, k) => k).sort((a, b) => (texts[a]! < texts[b]! ? -1 : texts[a]! > texts[b]! ? 1 : 0));
  const ranks = new Int32Array(ids.length);
  let rank = -1;
  order.forEach((k, position) => {
    if (position === 0 || texts[k] !== texts[order[position - 1]!]) rank += 1;
    ranks[k] = rank;
  });
  return ranks;
}

function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let k = 0; k < n; k += 1) order[k] = k;
  return order;
}

/** `order` rearranged by keyOf[row] (0 <= key < buckets), rows with the same key in their order in `order`. */
function stableCountingSort(order: Int32Array, keyOf: Int32Array, buckets: number): Int32Array {
  const next = new Int32Array(buckets + 1);
  for (const row of order) next[keyOf[row]! + 1]! += 1;
  for (let b = 0; b < buckets; b += 1) next[b + 1]! += next[b]!;
  const out = new Int32Array(order.length);
  for (const row of order) out[next[keyOf[row]!]!++] = row;
  return out;
}

/** The checksum of a mapping: its canonical JSON (defaults filled in). */
export function mappingChecksum(mapping: GraphMapping): string {
  return createHash('sha256').update(JSON.stringify(mapping)).digest('hex');
}

/** Ids in the order kgneg's own datasets use (Cypher's ORDER BY on one id type): integers numerically, strings by code point. */
export function sortIds(ids: Iterable<ExternalId>): ExternalId[] {
  return [...ids].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}
