/**
 * A reference LBFS for the tests, written against graphology and nothing of
 * kgneg's Cypher: the items reachable from each user by a walk of exactly
 * `khop` edges of the training graph, layer by layer (each layer is the set of
 * neighbours of the previous one; no visited set, as RecNS Algorithms 1-2).
 */
import { UndirectedGraph } from 'graphology';
import { rowOf, type Csr } from '../../src/base/csr.js';

/** The bipartite graph of the given training pairs (user index -> item indices). */
export function trainingGraph(train: Csr): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (let u = 0; u < train.rows; u += 1) graph.addNode(`u${u}`, { kind: 'user', index: u });
  for (let i = 0; i < train.cols; i += 1) graph.addNode(`i${i}`, { kind: 'item', index: i });
  for (let u = 0; u < train.rows; u += 1) for (const i of rowOf(train, u)) graph.mergeEdge(`u${u}`, `i${i}`);
  return graph;
}

/** Per-user reachable item indices (ascending) for every user, from graphology's neighbourhoods. */
export function reachableItemsOfAllUsers(graph: UndirectedGraph, users: number, khop: number): number[][] {
  // Node keys once to dense numbers, so that 1,872 BFS runs do not hash strings.
  const keys = graph.nodes();
  const position = new Map(keys.map((key, n) => [key, n]));
  const neighbours = keys.map((key) => graph.neighbors(key).map((other) => position.get(other)!));
  const itemIndex = keys.map((key) => (graph.getNodeAttribute(key, 'kind') === 'item' ? (graph.getNodeAttribute(key, 'index') as number) : -1));
  const out: number[][] = [];
  for (let u = 0; u < users; u += 1) {
    let frontier = new Set<number>([position.get(`u${u}`)!]);
    for (let step = 0; step < khop; step += 1) {
      const next = new Set<number>();
      for (const node of frontier) for (const other of neighbours[node]!) next.add(other);
      frontier = next;
    }
    out.push([...frontier].map((node) => itemIndex[node]!).filter((i) => i >= 0).sort((a, b) => a - b));
  }
  return out;
}
