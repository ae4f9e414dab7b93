/**
 * KGPolicy's graph in the sampler's terms and its per-epoch neighbour tables
 * (the paper's 3.3.3, first half). Nodes: users [0, U), items [U, U + I), KG
 * entities after. Edges: the training interactions (both directions) and the
 * KG (both directions, relations merged), so an intermediate node e' of a walk
 * i -> e' -> j may be a KG entity, a user (a collaborative step: another user
 * who took i also took j) or an item: the paper's E = U u I u P allows all
 * three, and so does kgneg.
 *
 * Each epoch (or every N epochs) a seeded draw fixes, for every node, n1
 * neighbours (without replacement when it has at least n1, else every
 * neighbour once and the rest drawn again with replacement: exactly n1), in two
 * tables: `anyNeighbours` for the first hop (from an item to any node) and
 * `itemNeighbours` for the second (from any node to an item), the latter
 * followed by `randomItems` uniform items for diversity (the code's 64 + 64).
 * A node without an item neighbour gets random items in its n1 slots too.
 */
import { csrFromPairs, type Csr } from '../../base/csr.js';
import type { Rng } from '../../base/rng.js';

export interface WalkGraph {
  readonly users: number;
  readonly items: number;
  readonly nodes: number;
  /** Node adjacency, both directions, repeats removed. */
  readonly adjacency: Csr;
  /** Per node, its neighbours that are items (node ids), CSR. */
  readonly itemAdjacency: Csr;
  /** The first hop's choices: `adjacency`, or without user nodes when walks may not pass through users. */
  readonly firstHopAdjacency: Csr;
}

export function buildWalkGraph(train: Csr, kgFrom: Int32Array, kgTo: Int32Array, entities: number, viaUsers = true): WalkGraph {
  const users = train.rows;
  const items = train.cols;
  const nodes = users + items + entities;
  const pairs = train.indices.length * 2 + kgFrom.length;
  const src = new Int32Array(pairs);
  const dst = new Int32Array(pairs);
  let n = 0;
  for (let u = 0; u < users; u += 1) {
    for (let k = train.indptr[u]!; k < train.indptr[u + 1]!; k += 1) {
      const item = users + train.indices[k]!;
      src[n] = u;
      dst[n++] = item;
      src[n] = item;
      dst[n++] = u;
    }
  }
  src.set(kgFrom, n);
  dst.set(kgTo, n);
  const adjacency = csrOf(nodes, src, dst);
  const isItem = (node: number) => node >= users && node < users + items;
  const keep: number[] = [];
  for (let k = 0; k < pairs; k += 1) if (isItem(dst[k]!)) keep.push(k);
  const itemAdjacency = csrOf(nodes, Int32Array.from(keep, (k) => src[k]!), Int32Array.from(keep, (k) => dst[k]!));
  let firstHopAdjacency = adjacency;
  if (!viaUsers) {
    const kg: number[] = [];
    for (let k = 0; k < pairs; k += 1) if (dst[k]! >= users) kg.push(k);
    firstHopAdjacency = csrOf(nodes, Int32Array.from(kg, (k) => src[k]!), Int32Array.from(kg, (k) => dst[k]!));
  }
  return { users, items, nodes, adjacency, itemAdjacency, firstHopAdjacency };
}

/** A square node CSR from directed pairs, rows sorted and deduplicated. */
function csrOf(rows: number, src: Int32Array, dst: Int32Array): Csr {
  return csrFromPairs(rows, rows, src, dst);
}

export interface NeighbourTables {
  readonly n1: number;
  readonly randomItems: number;
  /** [items * n1]: hop-1 candidates of item node U + i, row i. */
  readonly anyNeighbours: Int32Array;
  /** [nodes * (n1 + randomItems)]: hop-2 candidates (item nodes) of every node. */
  readonly itemNeighbours: Int32Array;
  /** Nodes whose item row is random items only (no item neighbour). */
  readonly withoutItemNeighbours: number;
  readonly seconds: number;
}

export function drawNeighbourTables(graph: WalkGraph, n1: number, randomItems: number, rng: Rng): NeighbourTables {
  const began = performance.now();
  const { users, items, nodes, firstHopAdjacency, itemAdjacency } = graph;
  const anyNeighbours = new Int32Array(items * n1);
  const width = n1 + randomItems;
  const itemNeighbours = new Int32Array(nodes * width);
  const scratch = new Int32Array(Math.max(n1, 1));
  for (let i = 0; i < items; i += 1) drawRow(firstHopAdjacency, users + i, n1, rng, anyNeighbours, i * n1, scratch, () => users + rng.nextInt(items));
  let withoutItemNeighbours = 0;
  for (let node = 0; node < nodes; node += 1) {
    const base = node * width;
    if (itemAdjacency.indptr[node + 1] === itemAdjacency.indptr[node]) withoutItemNeighbours += 1;
    drawRow(itemAdjacency, node, n1, rng, itemNeighbours, base, scratch, () => users + rng.nextInt(items));
    for (let k = n1; k < width; k += 1) itemNeighbours[base + k] = users + rng.nextInt(items);
  }
  return { n1, randomItems, anyNeighbours, itemNeighbours, withoutItemNeighbours, seconds: (performance.now() - began) / 1000 };
}

/** n1 neighbours of `node` into out[offset..]: a partial shuffle when there are enough, else all plus draws with replacement. */
function drawRow(csr: Csr, node: number, n1: number, rng: Rng, out: Int32Array, offset: number, scratch: Int32Array, fallback: () => number): void {
  const from = csr.indptr[node]!;
  const degree = csr.indptr[node + 1]! - from;
  if (degree === 0) {
    for (let k = 0; k < n1; k += 1) out[offset + k] = fallback();
    return;
  }
  if (degree <= n1) {
    for (let k = 0; k < degree; k += 1) out[offset + k] = csr.indices[from + k]!;
    for (let k = degree; k < n1; k += 1) out[offset + k] = csr.indices[from + rng.nextInt(degree)]!;
    return;
  }
  // Floyd's algorithm: n1 distinct positions of [0, degree) without touching the whole row.
  let count = 0;
  for (let j = degree - n1; j < degree; j += 1) {
    const t = rng.nextInt(j + 1);
    let taken = false;
    for (let k = 0; k < count; k += 1) if (scratch[k] === t) taken = true;
    scratch[count++] = taken ? j : t;
  }
  for (let k = 0; k < n1; k += 1) out[offset + k] = csr.indices[from + scratch[k]!]!;
}
