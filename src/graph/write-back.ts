/**
 * Writes a trained run back to Neo4j so that plain Cypher can serve it:
 * vectors on every user and item node, a (:Run) record, top-K RECOMMENDED
 * relationships, and a vector index for ad-hoc nearest-item queries.
 *
 * Runs alternate between two property slots (A, B). A new run writes into the
 * slot the current run does not use, creates its RECOMMENDED relationships
 * tagged with its runId, and only then moves (:Dataset)-[:CURRENT_RUN] in one
 * transaction. Queries follow CURRENT_RUN, so they never see a half-written
 * run, and a crash before the switch leaves the previous run serving intact.
 * Superseded runs' relationships are deleted after the switch.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { QueryRunner } from './query-runner.js';
import type { ExternalId } from '../base/ids.js';
import { idParam } from './values.js';
import type { MappedGraph } from './mapping/graph-source.js';
import { KgnegError } from './errors.js';

export type VectorSlot = 'A' | 'B';

export interface RunRecord {
  readonly runId: string;
  readonly dataset: string;
  readonly status: 'writing' | 'complete' | 'superseded' | 'abandoned';
  readonly slot: VectorSlot;
  readonly embeddingProperty: string;
  readonly searchProperty: string;
  readonly searchIndex: string;
  readonly dim: number;
  readonly [key: string]: unknown;
}

export interface WriteBackInput {
  readonly dataset: string;
  readonly dim: number;
  readonly userIds: readonly ExternalId[];
  readonly itemIds: readonly ExternalId[];
  /** [users, dim]: score(u, i) = users[u] . items[i] */
  readonly users: Float32Array;
  /** [items, dim] */
  readonly items: Float32Array;
  /** Per user: the recommended item indices, best first, and their scores (same length). */
  readonly recommendations: ReadonlyArray<{ readonly itemIdxs: Int32Array; readonly scores: Float32Array }>;
  /** Scalars and lists stored on the (:Run) node: config, seed, code version, backend, metrics (JSON strings). */
  readonly runProperties: Readonly<Record<string, unknown>>;
  readonly batchSize?: number;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
  /** A mapped graph: vectors and recommendations go onto the user's own nodes, under kgneg_ names. */
  readonly target?: MappedGraph;
}

export interface WriteBackResult {
  readonly runId: string;
  readonly slot: VectorSlot;
  readonly searchIndex: string;
  readonly seconds: number;
  readonly supersededRuns: number;
}

export async function currentRun(runner: QueryRunner, dataset: string): Promise<RunRecord | undefined> {
  const [row] = await runner.read<{ run: RunRecord }>('runs/current-run', { dataset });
  return row?.run;
}

export async function writeBackRun(runner: QueryRunner, input: WriteBackInput): Promise<WriteBackResult> {
  const began = Date.now();
  const { dataset, dim } = input;
  const previous = await currentRun(runner, dataset);
  const slot: VectorSlot = previous?.slot === 'A' ? 'B' : 'A';
  // One index per dataset, slot and dimension, so that a query's candidates are
  // this dataset's items only (the tag is a hash: dataset names are user text).
  const tag = createHash('sha256').update(dataset).digest('hex').slice(0, 8);
  // On a user's own graph every property kgneg writes says so, and names the dataset: kgneg_<tag>_...
  const target = input.target;
  const embeddingProperty = target ? `kgneg_${tag}_${slot.toLowerCase()}` : `embedding${slot}`;
  const searchProperty = target ? `kgneg_${tag}_search_${slot.toLowerCase()}${dim}` : `search${slot}${dim}_${tag}`;
  const area = target ? 'mapped' : 'runs';
  const refs = target ? await nodeRefs(runner, target) : undefined;
  const userKey = (id: ExternalId) => (refs ? refOf(refs.users, id, 'user') : idParam(id));
  const itemKey = (id: ExternalId) => (refs ? refOf(refs.items, id, 'item') : idParam(id));
  const searchIndex = `kgneg_item_search_${tag}_${slot.toLowerCase()}_${dim}`;
  const runId = `${dataset}:${new Date().toISOString()}:${randomUUID().slice(0, 8)}`;
  await runner.write('runs/create-run', {
    runId,
    dataset,
    props: { ...input.runProperties, slot, embeddingProperty, searchProperty, searchIndex, dim, itemCount: input.itemIds.length, userCount: input.userIds.length },
  });

  const batchSize = input.batchSize ?? 2_000;
  const userRows = input.userIds.map((id, u) => ({ ...(refs ? { ref: userKey(id) } : { id: userKey(id) }), v: Array.from(input.users.subarray(u * dim, u * dim + dim)) }));
  await runner.writeBatches(`${area}/set-user-vectors`, userRows, {
    params: { dataset },
    slots: { property: embeddingProperty },
    batchSize,
    onProgress: (p) => input.onProgress?.('user vectors', p.rowsDone, p.rowsTotal),
  });
  const { augmented, maxNorm } = mipsAugment(input.items, dim);
  const itemRows = input.itemIds.map((id, i) => ({
    ...(refs ? { ref: itemKey(id) } : { id: itemKey(id) }),
    v: Array.from(input.items.subarray(i * dim, i * dim + dim)),
    s: Array.from(augmented.subarray(i * (dim + 1), (i + 1) * (dim + 1))),
  }));
  await runner.writeBatches(`${area}/set-item-vectors`, itemRows, {
    params: { dataset },
    slots: { property: embeddingProperty, search: searchProperty },
    batchSize,
    onProgress: (p) => input.onProgress?.('item vectors', p.rowsDone, p.rowsTotal),
  });
  await runner.autoCommit(`${area}/create-search-index`, {}, { index: searchIndex, search: searchProperty, dimensions: String(dim + 1), ...(target ? { itemLabel: target.itemLabel } : {}) });

  const recRows = input.recommendations.map((rec, u) => ({
    u: userKey(input.userIds[u]!),
    items: Array.from(rec.itemIdxs, (i) => itemKey(input.itemIds[i]!)),
    scores: Array.from(rec.scores),
  }));
  const recBatch = Math.max(1, Math.floor(batchSize / 10));
  await runner.writeBatches(`${area}/write-recommendations`, recRows, {
    params: { dataset, runId },
    batchSize: recBatch,
    onProgress: (p) => input.onProgress?.('recommendations', p.rowsDone, p.rowsTotal),
  });
  // Indexes populate asynchronously; wait so that the first query after the switch finds every item.
  await runner.autoCommitText('CALL db.awaitIndexes(300)');
  await runner.write('runs/switch-current-run', {
    dataset,
    runId,
    props: { mipsMaxNorm: maxNorm, writeBackSeconds: (Date.now() - began) / 1000 },
  });

  const superseded = await runner.read<{ runId: string }>('runs/list-superseded-runs', { dataset });
  for (const old of superseded) {
    await runner.autoCommit(`${area}/delete-run-recommendations`, { runId: old.runId });
    await runner.write('runs/mark-run-superseded', { runId: old.runId });
  }
  return { runId, slot, searchIndex, seconds: (Date.now() - began) / 1000, supersededRuns: superseded.length };
}

/** The element ids of a mapped graph's user and item nodes, by id: write-back seeks them whatever indexes the graph has. */
async function nodeRefs(runner: QueryRunner, target: MappedGraph): Promise<{ users: Map<ExternalId, string>; items: Map<ExternalId, string> }> {
  const read = async (label: MappedGraph['userLabel'], id: string) => {
    const out = new Map<ExternalId, string>();
    await runner.stream('mapped/list-node-refs', { id }, (fields) => void out.set(fields[0] as ExternalId, fields[1] as string), { slots: { label }, restart: () => out.clear() });
    return out;
  };
  return { users: await read(target.userLabel, target.mapping.users.id), items: await read(target.itemLabel, target.mapping.items.id) };
}

function refOf(refs: ReadonlyMap<ExternalId, string>, id: ExternalId, kind: string): string {
  const ref = refs.get(id);
  if (ref === undefined) throw new KgnegError(`the ${kind} ${JSON.stringify(id)} of this run is no longer in the graph; train again`);
  return ref;
}

/**
 * Maximum inner product search as nearest neighbour (Bachrach et al. 2014):
 * x_i = [q_i, sqrt(M^2 - |q_i|^2)] with M the largest item norm, and the query
 * [p_u, 0]. Then |x_i - [p_u, 0]|^2 = M^2 + |p_u|^2 - 2 p_u . q_i, so the
 * euclidean order of items is their inner-product order for every user.
 */
export function mipsAugment(items: Float32Array, dim: number): { augmented: Float32Array; maxNorm: number } {
  const count = items.length / dim;
  const norms = new Float64Array(count);
  let max2 = 0;
  for (let i = 0; i < count; i += 1) {
    let s = 0;
    for (let d = 0; d < dim; d += 1) s += items[i * dim + d]! ** 2;
    norms[i] = s;
    if (s > max2) max2 = s;
  }
  const augmented = new Float32Array(count * (dim + 1));
  for (let i = 0; i < count; i += 1) {
    augmented.set(items.subarray(i * dim, i * dim + dim), i * (dim + 1));
    augmented[i * (dim + 1) + dim] = Math.sqrt(Math.max(0, max2 - norms[i]!));
  }
  return { augmented, maxNorm: Math.sqrt(max2) };
}
