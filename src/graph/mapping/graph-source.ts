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
 */
export async function readMappedInteractions(runner: QueryRunner, graph: MappedGraph): Promise<{ records: InteractionRecord[]; folded: number; belowMinRating: number }> {
  const byKey = new Map<string, InteractionRecord>();
  let folded = 0;
  let belowMinRating = 0;
  const keep = (record: InteractionRecord) => {
    const key = JSON.stringify([record.userId, record.itemId]);
    const earlier = byKey.get(key);
    if (earlier) {
      folded += 1;
      if ((record.timestamp ?? 0) < (earlier.timestamp ?? 0)) return;
    }
    byKey.set(key, record);
  };
  for (const [k, entry] of graph.mapping.interactions.entries()) {
    // Rows of this type, kept apart until the stream ends: a stream that restarts (a concurrent write) starts this list over.
    let rows: InteractionRecord[] = [];
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
      },
      {
        slots: { userLabel: graph.userLabel, itemLabel: graph.itemLabel, type: graph.interactionTypes[k]! },
        restart: () => {
          rows = [];
          below = 0;
        },
      },
    );
    belowMinRating += below;
    for (const row of rows) keep(row);
  }
  // Sorted by key: the fold above and the split below then do not depend on the order Neo4j streams rows in.
  const records = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  assignSplits(graph.mapping.split.rule, graph.mapping.split.seed, records, []);
  return { records, folded, belowMinRating };
}

/** The checksum of a mapping: its canonical JSON (defaults filled in). */
export function mappingChecksum(mapping: GraphMapping): string {
  return createHash('sha256').update(JSON.stringify(mapping)).digest('hex');
}

/** Ids in the order kgneg's own datasets use (Cypher's ORDER BY on one id type): integers numerically, strings by code point. */
export function sortIds(ids: Iterable<ExternalId>): ExternalId[] {
  return [...ids].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}
