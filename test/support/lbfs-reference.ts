/**
 * A reference LBFS for the tests, written against graphology and nothing of
 * kgneg's Cypher: the items reachable from each user by a walk of exactly
 * `khop` edges of the training graph, layer by layer (each layer is the set of
 * neighbours of the previous one; no visited set, as RecNS Algorithms 1-2).
 */
import { UndirectedGraph } from 'graphology';
import { SPLIT_CODES, type TrainingData } from '../../src/graph/training-data.js';

export function trainingGraph(data: TrainingData): UndirectedGraph {
  const graph = new UndirectedGraph();
  const { userIdxs, itemIdxs, splits } = data.interactions;
  data.users.ids.forEach((_, u) => graph.addNode(`u${u}`, { kind: 'user', index: u }));
  data.items.ids.forEach((_, i) => graph.addNode(`i${i}`, { kind: 'item', index: i }));
  for (let k = 0; k < splits.length; k += 1) {
    if (splits[k] === SPLIT_CODES.train) graph.mergeEdge(`u${userIdxs[k]}`, `i${itemIdxs[k]}`);
  }
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
