/**
 * Ids and indices. An id is what the data calls a user, item or entity (an
 * integer or a string, kept as the source types it); an index is its row in
 * the embedding tables and CSR arrays (0..n-1, in id order).
 */

export type ExternalId = number | string;

/** Ids in index order, and the way back. */
export interface IdIndex {
  readonly ids: readonly ExternalId[];
  readonly indexOf: ReadonlyMap<ExternalId, number>;
}

export function idIndexOf(ids: readonly ExternalId[]): IdIndex {
  return { ids, indexOf: new Map(ids.map((id, index) => [id, index])) };
}
