/**
 * What fold-in reads: whether the served run knows a user, the user's items,
 * and the served run's item vectors, from kgneg's own layout or a mapped graph.
 */
import type { ExternalId } from '../base/ids.js';
import { getDataset } from './datasets/dataset-repository.js';
import type { QueryRunner } from './query-runner.js';
import { mappedSlots } from './recommendations.js';
import { storedGraphMapping } from './training-data.js';
import { idParam } from './values.js';

export interface UserState {
  readonly known: boolean;
  readonly hasVector: boolean;
  readonly itemIds: readonly ExternalId[];
  /** Some of the user's interactions arrived after the served run read its data: fold-in refits the user. */
  readonly newer: boolean;
}

/** A mapped graph's time property per interaction type (the $timeOf of the queries that compare times with a run's). */
export async function mappedTimeOf(runner: QueryRunner, dataset: string): Promise<Record<string, string>> {
  const record = await getDataset(runner, dataset);
  const mapping = storedGraphMapping(record!);
  return Object.fromEntries(mapping.interactions.filter((entry) => entry.time).map((entry) => [entry.type, entry.time!]));
}

export async function userState(runner: QueryRunner, dataset: string, userId: ExternalId): Promise<UserState | undefined> {
  const mapped = await mappedSlots(runner, dataset);
  const [row] = mapped
    ? await runner.read<UserState>('mapped/user-state', { dataset, userId: String(userId), timeOf: await mappedTimeOf(runner, dataset) }, mapped)
    : await runner.read<UserState>('runs/user-state', { dataset, userId: idParam(userId) });
  return row;
}

export interface ServedItems {
  readonly ids: readonly ExternalId[];
  readonly names: ReadonlyArray<string | null>;
  readonly dim: number;
  /** [items * dim] */
  readonly vectors: Float32Array;
}

export async function servedItemVectors(runner: QueryRunner, dataset: string): Promise<ServedItems> {
  const mapped = await mappedSlots(runner, dataset);
  const ids: ExternalId[] = [];
  const names: Array<string | null> = [];
  const rows: number[][] = [];
  await runner.stream(
    mapped ? 'mapped/served-item-vectors' : 'runs/served-item-vectors',
    { dataset },
    (fields) => {
      ids.push(fields[0] as ExternalId);
      rows.push(fields[1] as number[]);
      names.push((fields[2] as string | null) ?? null);
    },
    {
      ...(mapped ? { slots: mapped } : {}),
      restart: () => {
        ids.length = 0;
        rows.length = 0;
        names.length = 0;
      },
    },
  );
  const dim = rows[0]?.length ?? 0;
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => vectors.set(row, i * dim));
  return { ids, names, dim, vectors };
}

export interface UserToFoldIn {
  readonly userId: ExternalId;
  readonly itemIds: ExternalId[];
  /** new: no vector in the served run; newer: a vector, and interactions that arrived after the run read its data. */
  readonly reason: 'new' | 'newer';
}

/** Every user with interactions whom the served run has no vector for, or whose interactions are newer than it. */
export async function usersToFoldIn(runner: QueryRunner, dataset: string): Promise<UserToFoldIn[]> {
  const mapped = await mappedSlots(runner, dataset);
  type Row = { userId: ExternalId; itemIds: ExternalId[] };
  const fresh: Row[] = mapped ? await runner.read('mapped/users-without-vector', { dataset }, mapped) : await runner.read('runs/users-without-vector', { dataset });
  const newer: Row[] = mapped
    ? await runner.read('mapped/users-with-newer-interactions', { dataset, timeOf: await mappedTimeOf(runner, dataset) }, mapped)
    : await runner.read('runs/users-with-newer-interactions', { dataset });
  return [...fresh.map((row) => ({ ...row, reason: 'new' as const })), ...newer.map((row) => ({ ...row, reason: 'newer' as const }))];
}

export interface FoldedUser {
  readonly userId: ExternalId;
  readonly vector: Float32Array;
  readonly itemIds: readonly ExternalId[];
  readonly scores: readonly number[];
}

/** Writes folded-in users into the served run (the caller holds the dataset's writer lock). */
export async function writeFoldedUsers(
  runner: QueryRunner,
  dataset: string,
  run: { runId: string; embeddingProperty: string },
  users: readonly FoldedUser[],
  /** When the users' interactions were read (epoch ms): what arrives later is newer than their lists. */
  readAt: number,
): Promise<void> {
  const mapped = await mappedSlots(runner, dataset);
  const rows = users.map((user) => ({ u: idParam(user.userId), v: Array.from(user.vector), items: user.itemIds.map(idParam), scores: [...user.scores] }));
  await runner.writeBatches(mapped ? 'mapped/write-folded-users' : 'runs/write-folded-users', rows, {
    params: { dataset, runId: run.runId, foldedFrom: readAt },
    slots: { ...(mapped ?? {}), property: run.embeddingProperty },
    batchSize: 200,
  });
}
