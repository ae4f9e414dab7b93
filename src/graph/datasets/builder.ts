import type {
  DatasetFormat,
  DuplicateCounts,
  ExposureRecord,
  InteractionRecord,
  ItemAttributes,
  ParsedDataset,
  RelationRecord,
  SourceFile,
  SplitRule,
  TripleRecord,
  UserRecord,
} from './records.js';
import type { ExternalId } from '../../base/ids.js';

interface MutableItem {
  itemId: ExternalId;
  entityId?: ExternalId;
  orgId?: string;
  attributes?: ItemAttributes;
}

export interface DatasetMeta {
  readonly format: DatasetFormat;
  readonly idTypes: ParsedDataset['idTypes'];
  readonly splitRule: SplitRule;
  readonly relationless: boolean;
}

/**
 * Collects one dataset's records while its files are read: keeps users and
 * items in first-seen order, folds repeated interactions, exposures and
 * triples on their keys (first occurrence wins, repeats are counted), and
 * records every file read. Parsers validate; the builder only merges.
 */
export class DatasetBuilder {
  private readonly users = new Map<ExternalId, UserRecord>();
  private readonly items = new Map<ExternalId, MutableItem>();
  private readonly relations = new Map<ExternalId, RelationRecord>();
  // Keyed like interactionKey / exposureKey / tripleKey, without building key
  // strings (amazon-book has 846k rows). The part with the fewest distinct
  // values goes first, so that few inner maps are made.
  private readonly interactions = new CompositeIndex<InteractionRecord>();
  private readonly exposures = new CompositeIndex<ExposureRecord>();
  private readonly triples = new CompositeIndex<TripleRecord>();
  private readonly files: SourceFile[] = [];
  private readonly attributeFiles: string[] = [];
  private readonly duplicates: DuplicateCounts = { interactions: 0, exposures: 0, triples: 0 };

  private readonly onFileRead: ((file: SourceFile) => void) | undefined;

  constructor(onFileRead?: (file: SourceFile) => void) {
    this.onFileRead = onFileRead;
  }

  /** Pass as `onSourceFile` to readLines. */
  readonly recordFile = (file: SourceFile): void => {
    this.files.push(file);
    this.onFileRead?.(file);
  };

  /** Marks a file read (or being read) as one that only adds item properties; see ParsedDataset.itemAttributeFiles. */
  markItemAttributeFile(path: string): void {
    if (!this.attributeFiles.includes(path)) this.attributeFiles.push(path);
  }

  addUser(userId: ExternalId, orgId?: string): void {
    const known = this.users.get(userId);
    if (known === undefined || (orgId !== undefined && known.orgId === undefined)) {
      this.users.set(userId, orgId === undefined ? { userId } : { userId, orgId });
    }
  }

  /** Adds the item or fills in fields it does not have yet. */
  addItem(itemId: ExternalId, fields: Omit<MutableItem, 'itemId'> = {}): void {
    let item = this.items.get(itemId);
    if (item === undefined) {
      item = { itemId };
      this.items.set(itemId, item);
    }
    if (fields.entityId !== undefined) item.entityId ??= fields.entityId;
    if (fields.orgId !== undefined) item.orgId ??= fields.orgId;
    if (fields.attributes !== undefined) item.attributes ??= fields.attributes;
  }

  hasItem(itemId: ExternalId): boolean {
    return this.items.has(itemId);
  }

  itemIds(): IterableIterator<ExternalId> {
    return this.items.keys();
  }

  addRelation(relation: RelationRecord): void {
    if (!this.relations.has(relation.relationId)) this.relations.set(relation.relationId, relation);
  }

  hasRelation(relationId: ExternalId): boolean {
    return this.relations.has(relationId);
  }

  /** Registers the user and item too. Returns false when the key was seen before. */
  addInteraction(record: InteractionRecord): boolean {
    this.addUser(record.userId);
    this.addItem(record.itemId);
    if (!this.interactions.add(record.impressionId ?? null, record.userId, record.itemId, record)) {
      this.duplicates.interactions += 1;
      return false;
    }
    return true;
  }

  /** Registers the user and item too; a repeat adds to the first record's count. */
  addExposure(record: ExposureRecord): void {
    this.addUser(record.userId);
    this.addItem(record.itemId);
    const known = this.exposures.get(record.impressionId, record.userId, record.itemId);
    if (known !== undefined) {
      known.count += record.count;
      this.duplicates.exposures += 1;
      return;
    }
    this.exposures.add(record.impressionId, record.userId, record.itemId, record);
  }

  addTriple(record: TripleRecord): void {
    if (!this.triples.add(record.relationId, record.headId, record.tailId, record)) this.duplicates.triples += 1;
  }

  build(meta: DatasetMeta): ParsedDataset {
    const items = [...this.items.values()];
    const triples = this.triples.values();
    return {
      ...meta,
      users: [...this.users.values()],
      items,
      entities: nonItemEntities(items, triples),
      relations: [...this.relations.values()],
      interactions: this.interactions.values(),
      exposures: this.exposures.values(),
      triples,
      sourceFiles: [...this.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      itemAttributeFiles: this.attributeFiles.filter((path) => this.files.some((f) => f.path === path)).sort(),
      duplicates: { ...this.duplicates },
    };
  }
}

type Key = ExternalId | null;

/**
 * A map on a three-part key that keeps first-seen order. The caller picks
 * the order of the parts; the key is still the whole tuple. Map compares
 * keys as SameValueZero, which for ids (never NaN or -0) is the identity the
 * JSON keys of records.ts express: 1 and "1" differ there and here.
 */
class CompositeIndex<V> {
  private readonly root = new Map<Key, Map<Key, Map<Key, V>>>();
  private readonly ordered: V[] = [];

  get(a: Key, b: Key, c: Key): V | undefined {
    return this.root.get(a)?.get(b)?.get(c);
  }

  /** False (and nothing stored) when the key is taken. */
  add(a: Key, b: Key, c: Key, value: V): boolean {
    let level1 = this.root.get(a);
    if (level1 === undefined) {
      level1 = new Map();
      this.root.set(a, level1);
    }
    let level2 = level1.get(b);
    if (level2 === undefined) {
      level2 = new Map();
      level1.set(b, level2);
    }
    if (level2.has(c)) return false;
    level2.set(c, value);
    this.ordered.push(value);
    return true;
  }

  values(): V[] {
    return [...this.ordered];
  }
}

/** KG endpoints, first-seen order, without those that an item stands for. */
function nonItemEntities(items: readonly MutableItem[], triples: readonly TripleRecord[]): ExternalId[] {
  const itemEntities = new Set<ExternalId>();
  for (const item of items) if (item.entityId !== undefined) itemEntities.add(item.entityId);
  const entities = new Set<ExternalId>();
  for (const t of triples) {
    if (!itemEntities.has(t.headId)) entities.add(t.headId);
    if (!itemEntities.has(t.tailId)) entities.add(t.tailId);
  }
  return [...entities];
}

export const INT_IDS: ParsedDataset['idTypes'] = { user: 'int', item: 'int', entity: 'int', relation: 'int' };
export const STRING_IDS: ParsedDataset['idTypes'] = { user: 'string', item: 'string', entity: 'string', relation: 'string' };

/** What every format parser accepts. */
export interface FormatParseOptions {
  /** Called once per file after it has been read in full (progress reporting). */
  readonly onFileRead?: (file: SourceFile) => void;
}
