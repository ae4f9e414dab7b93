/**
 * A trained model's parameter tables on disk (model.ckpt beside metrics.json),
 * with the ids of their rows, so that a later run over grown data can start
 * from them (`train --warm-start`). The served vectors in Neo4j are not enough
 * for that: LightGCN serves propagated vectors, GMF and JNSKR serve products
 * with their other tables; the checkpoint holds what the model learns.
 *
 * Layout (src/base/framed-file.ts): "KGCK", the header as JSON, then each
 * table's float32 data in header order. The optimizer's moments are not kept: a warm start begins
 * with a fresh optimizer (Adam's bias correction then restarts as well).
 */
import { readFileSync } from 'node:fs';
import { copyWords, readFramedHeader, writeFramedFile } from '../base/framed-file.js';
import type { ExternalId } from '../base/ids.js';
import type { Model } from './models/types.js';

const MAGIC = 'KGCK';

export interface CheckpointHeader {
  readonly model: string;
  readonly dim: number;
  readonly userIds: readonly ExternalId[];
  readonly itemIds: readonly ExternalId[];
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number; readonly dim: number }>;
}

export interface Checkpoint extends CheckpointHeader {
  /** Per table, [rows * dim]. */
  readonly data: readonly Float32Array[];
}

export function writeCheckpoint(file: string, model: Model, userIds: readonly ExternalId[], itemIds: readonly ExternalId[]): void {
  const tables = model.tables();
  const header: CheckpointHeader = { model: model.name, dim: model.dim, userIds, itemIds, tables: tables.map((t) => ({ name: t.name, rows: t.rows, dim: t.dim })) };
  writeFramedFile(file, MAGIC, header, tables.map((t) => t.data));
}

/** The checkpoint in `file`, or a reason it cannot be read. */
export function readCheckpoint(file: string): Checkpoint | string {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch {
    return `${file} is not on this machine`;
  }
  const framed = readFramedHeader<CheckpointHeader>(buffer, MAGIC);
  if (framed === 'not-framed') return `${file} is not a kgneg checkpoint`;
  if (framed === 'bad-header') return `${file} has a damaged header`;
  let offset = framed.offset;
  const data: Float32Array[] = [];
  for (const table of framed.header.tables) {
    const values = new Float32Array(table.rows * table.dim);
    if (offset + values.byteLength > buffer.length) return `${file} is truncated`;
    data.push(copyWords(buffer, offset, values));
    offset += values.byteLength;
  }
  if (offset !== buffer.length) return `${file} has ${buffer.length - offset} bytes too many`;
  return { ...framed.header, data };
}

export interface WarmStartReport {
  readonly users: { readonly known: number; readonly new: number };
  readonly items: { readonly known: number; readonly new: number };
  /** Tables taken from the checkpoint (row by row for id-keyed tables, whole for the others). */
  readonly copied: readonly string[];
  /** Tables left as a fresh run initialises them (their shape or row ids changed). */
  readonly fresh: readonly string[];
}

/**
 * Copies the checkpoint into a freshly initialised model of the same kind:
 * rows of known users and items by id (tables named users, items, and
 * LightGCN's ego, users then items); every other table whole where its shape
 * is unchanged. New users and items keep the fresh initialisation.
 */
export function warmStart(model: Model, checkpoint: Checkpoint, userIds: readonly ExternalId[], itemIds: readonly ExternalId[]): WarmStartReport {
  const oldUser = new Map(checkpoint.userIds.map((id, row) => [id, row]));
  const oldItem = new Map(checkpoint.itemIds.map((id, row) => [id, row]));
  const userRows = userIds.map((id) => oldUser.get(id) ?? -1);
  const itemRows = itemIds.map((id) => oldItem.get(id) ?? -1);
  const copied: string[] = [];
  const fresh: string[] = [];
  const byName = new Map(checkpoint.tables.map((t, k) => [t.name, k]));
  for (const table of model.tables()) {
    const k = byName.get(table.name);
    const saved = k === undefined ? undefined : checkpoint.tables[k]!;
    if (k === undefined || !saved || saved.dim !== table.dim) {
      fresh.push(table.name);
      continue;
    }
    const from = checkpoint.data[k]!;
    const copyRows = (rows: readonly number[], toBase: number, fromBase: number) => {
      rows.forEach((old, row) => {
        if (old >= 0) table.data.set(from.subarray((fromBase + old) * table.dim, (fromBase + old + 1) * table.dim), (toBase + row) * table.dim);
      });
    };
    if (table.name === 'users') copyRows(userRows, 0, 0);
    else if (table.name === 'items') copyRows(itemRows, 0, 0);
    else if (table.name === 'ego') {
      copyRows(userRows, 0, 0);
      copyRows(itemRows, userIds.length, checkpoint.userIds.length);
    } else if (saved.rows === table.rows) table.data.set(from);
    else {
      // Entity and relation tables follow the KG's own numbering, which a grown KG may change.
      fresh.push(table.name);
      continue;
    }
    copied.push(table.name);
  }
  model.tablesChanged?.();
  const known = (rows: readonly number[]) => rows.filter((r) => r >= 0).length;
  return {
    users: { known: known(userRows), new: userRows.length - known(userRows) },
    items: { known: known(itemRows), new: itemRows.length - known(itemRows) },
    copied,
    fresh,
  };
}
