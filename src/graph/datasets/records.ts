/**
 * What a dataset parser hands to ingestion: plain records, validated, with the
 * dataset's own ids (never dense indices). Integer ids are safe JS integers;
 * string ids stay strings. Nothing here knows about Neo4j.
 */

/** The formats read from a dataset directory (detected from its file names, or named). */
export type DirectoryFormat = 'kgat' | 'kgcn' | 'recbole' | 'mind';
export const DIRECTORY_FORMATS: readonly DirectoryFormat[] = ['kgat', 'kgcn', 'recbole', 'mind'];
/**
 * What a (:Dataset) records: a directory format, or 'csv' for plain CSV/TSV
 * files named by a mapping file (src/graph/datasets/formats/csv.ts).
 */
export type DatasetFormat = DirectoryFormat | 'csv';
/** The formats `--dataset DIR [--format F]` reads; 'csv' comes through a mapping file instead. */
export const DATASET_FORMATS: readonly DatasetFormat[] = DIRECTORY_FORMATS;

/** A dataset's own key for a user, item, entity, relation or impression. */
import type { ExternalId } from '../../base/ids.js';
export type IdType = 'int' | 'string';

export type Split = 'train' | 'valid' | 'test';

/**
 * How interactions get their split. `fixed` keeps the files' split (KGAT);
 * the others are computed from a seed (see split.ts) and can be recomputed
 * from the database with another seed.
 */
export type SplitRule =
  | 'fixed'
  | 'random-6-2-2' // KGCN papers: global random split of the positives
  | 'user-time-8-1-1' // RecBole default: per user, ordered by time
  | 'impression-8-1-1'; // MIND: whole impression logs, seeded; history clicks always train

export interface UserRecord {
  readonly userId: ExternalId;
  /** The id in the raw source before remapping, where a list file gives it. */
  readonly orgId?: string;
}

export interface ItemAttributes {
  /** KGAT item_list.txt */
  readonly freebaseId?: string;
  /** MIND news.tsv */
  readonly category?: string;
  readonly subCategory?: string;
  /** MIND news.tsv; RecBole NAME.item (movie_title, title or name). */
  readonly title?: string;
  /** RecBole NAME.item (release_year or year), where it is a plain integer. */
  readonly year?: number;
  /** RecBole NAME.item (class, genre, genres or categories), one entry per token. */
  readonly genres?: readonly string[];
}

export interface ItemRecord {
  readonly itemId: ExternalId;
  /** Set when the item is also a KG entity (the node then carries both labels). */
  readonly entityId?: ExternalId;
  readonly orgId?: string;
  /** Descriptive attributes; each is a named property in cypher/ingest/merge-items.cypher. */
  readonly attributes?: ItemAttributes;
}

export interface RelationRecord {
  readonly relationId: ExternalId;
  readonly name: string;
}

export type InteractionSource = 'history' | 'impression';

export interface InteractionRecord {
  readonly userId: ExternalId;
  readonly itemId: ExternalId;
  /** From the files for `fixed` split rules, otherwise null until assigned. */
  split: Split | null;
  /** Seconds since the Unix epoch, where the format has a time. */
  readonly timestamp?: number;
  readonly rating?: number;
  /** MIND: the impression log the click came from (absent for history clicks). */
  readonly impressionId?: ExternalId;
  readonly source?: InteractionSource;
}

/** Shown and not clicked. One record per (user, item, impression); `count` counts repeats. */
export interface ExposureRecord {
  readonly userId: ExternalId;
  readonly itemId: ExternalId;
  readonly impressionId: ExternalId;
  readonly timestamp?: number;
  count: number;
  split: Split | null;
}

export interface TripleRecord {
  readonly headId: ExternalId; // entity id
  readonly relationId: ExternalId;
  readonly tailId: ExternalId; // entity id
  /** amazon-book's item_entity_edges.txt carries a co-occurrence count. */
  readonly count?: number;
}

export interface SourceFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface DuplicateCounts {
  interactions: number;
  exposures: number;
  triples: number;
}

export interface ParsedDataset {
  readonly format: DatasetFormat;
  readonly idTypes: { readonly user: IdType; readonly item: IdType; readonly entity: IdType; readonly relation: IdType };
  readonly users: readonly UserRecord[];
  readonly items: readonly ItemRecord[];
  /** KG entities that are not items (items that are entities carry entityId instead). */
  readonly entities: readonly ExternalId[];
  readonly relations: readonly RelationRecord[];
  readonly interactions: InteractionRecord[];
  readonly exposures: ExposureRecord[];
  readonly triples: readonly TripleRecord[];
  readonly splitRule: SplitRule;
  /** True when the KG has no relation types (amazon-book item_entity_edges.txt). */
  readonly relationless: boolean;
  readonly sourceFiles: readonly SourceFile[];
  /**
   * The paths, among sourceFiles, of files that only add item properties
   * (RecBole NAME.item, MIND news.tsv): with or without them the graph has
   * the same nodes and relationships, so a change in them alone is applied
   * by rewriting the items rather than refused as other files.
   */
  readonly itemAttributeFiles: readonly string[];
  /** Lines that repeated an earlier record's key and were folded into it. */
  readonly duplicates: DuplicateCounts;
}

/** The key an interaction is merged on (inside its dataset). */
export function interactionKey(r: Pick<InteractionRecord, 'userId' | 'itemId' | 'impressionId'>): string {
  return JSON.stringify([r.userId, r.itemId, r.impressionId ?? null]);
}

/** The key an exposure is merged on (inside its dataset). */
export function exposureKey(r: Pick<ExposureRecord, 'userId' | 'itemId' | 'impressionId'>): string {
  return JSON.stringify([r.userId, r.itemId, r.impressionId]);
}

/** The key a KG triple is merged on (inside its dataset). */
export function tripleKey(r: Pick<TripleRecord, 'headId' | 'relationId' | 'tailId'>): string {
  return JSON.stringify([r.headId, r.relationId, r.tailId]);
}
