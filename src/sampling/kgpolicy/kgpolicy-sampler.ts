/**
 * KGPolicy (Wang et al., WWW'20): for each (u, i), an agent starts at i and
 * makes T exploration operations e_t -> e'_t -> e_{t+1} over the walk graph
 * (neighbour-tables.ts); e_T is the negative. Each hop: the node's n1 (+ random)
 * neighbours of this epoch's table, pruned to the n2 most similar by h_e . h_c
 * (3.3.3), nodes already on the trajectory masked out (the action space
 * excludes the trajectory), then attention (eqs. 12-15) and a draw. The
 * reward of proposal e_t is R = r_u . r_e + r_i . r_e from the recommender
 * (eq. 7), and the policy follows REINFORCE (eq. 16):
 *   loss = -(1/T) sum_t gamma^(t-1) (R(e_t) - b) log P(a_t | s_t)
 * with b the average reward of recently generated negatives (an exponential
 * average over batches, per step).
 *
 * Order within a batch: the walk, the rewards from the current recommender,
 * the sampler's step, then the trainer's recommender step on e_T: the paper's
 * alternation (3.4.1-3.4.2) with the sampler first, so one forward pass of
 * the policy serves both the draw and the gradient.
 *
 * A walk whose last item is one of the user's training positives gets a uniform
 * non-positive item instead (the code does the same); counted as
 * replacedPositives. Second hops only offer items, so a walk always ends on an
 * item.
 */
import { csrHas } from '../../base/csr.js';
import { CandidateDrawer } from '../exclusion.js';
import type { Rng } from '../../base/rng.js';
import type { ExplainedNegative, NegativeSample, PathNode, Sampler, SamplerContext, Scorer } from '../types.js';
import { buildWalkGraph, drawNeighbourTables, type NeighbourTables, type WalkGraph } from './neighbour-tables.js';
import { KgPolicyNetwork } from './policy-network.js';
import { accumulateAttentionGradient, attentionLogProbs } from './attention.js';
import { PruneCache } from './prune-cache.js';

export interface KgPolicyOptions {
  readonly n1: number;
  readonly randomItems: number;
  readonly n2: number;
  readonly steps: number;
  readonly gamma: number;
  /** The code takes the argmax at the first hop; the paper samples. */
  readonly hop1Argmax: boolean;
  /** The code's second hop: the recommender's best-scored of the n2 candidates (top n2 by attention there), not a draw. */
  readonly recommenderPick: boolean;
  readonly baseline: boolean;
  /** Epochs between neighbour-table draws. */
  readonly refreshEvery: number;
  /** Whether the first hop may go to a user (i -> u' -> j); false: KG entities (and items) only. */
  readonly viaUsers: boolean;
  /** Batches between policy steps (each recomputes the graph learning module with gradients). */
  readonly policyEvery: number;
  readonly dim: number;
  readonly layers: number;
  readonly learningRate: number;
}

/** One batch's walks: node ids per pair and step (2T + 1 nodes: i, e'_1, e_1, ..., e'_T, e_T). */
export interface Walks {
  readonly steps: number;
  readonly nodes: Int32Array;
}

export class KgPolicySampler implements Sampler {
  readonly name = 'kgpolicy';
  readonly graph: WalkGraph;
  readonly #ctx: SamplerContext;
  readonly #options: KgPolicyOptions;
  readonly #network: KgPolicyNetwork;
  readonly #drawer: CandidateDrawer;
  #tables: NeighbourTables | undefined;
  #h: Float32Array | undefined;
  #baselineReady = false;
  #batch = 0;
  #baselines: Float64Array;
  #lastWalks: Walks | undefined;
  readonly #pruneCache: PruneCache;
  readonly #counters = {
    walks: 0,
    replacedPositives: 0,
    trajectoryDeadEnds: 0,
    policySteps: 0,
    tableSeconds: 0,
    graphSeconds: 0,
    walkSeconds: 0,
    rewardSum: 0,
    middleUsers: 0,
    middleItems: 0,
    middleEntities: 0,
  };

  constructor(ctx: SamplerContext, options: KgPolicyOptions) {
    const kg = ctx.knowledgeGraph;
    if (!kg) throw new Error('kgpolicy needs the walk graph (the trainer loads it from Neo4j for samplers marked usesKnowledgeGraph)');
    this.#ctx = ctx;
    this.#options = options;
    this.graph = buildWalkGraph(ctx.train, kg.from, kg.to, kg.entities, options.viaUsers);
    this.#network = new KgPolicyNetwork(this.graph.adjacency, { dim: options.dim, layers: options.layers, learningRate: options.learningRate, rng: ctx.rng.fork() });
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng);
    this.#baselines = new Float64Array(options.steps);
    this.#pruneCache = new PruneCache(this.graph.nodes, Math.min(options.n2, options.n1), Math.min(options.n2, options.n1 + options.randomItems));
  }

  beginEpoch(epoch: number): void {
    if (!this.#tables || (epoch - 1) % this.#options.refreshEvery === 0) {
      this.#tables = drawNeighbourTables(this.graph, this.#options.n1, this.#options.randomItems, this.#ctx.rng);
      this.#pruneCache.invalidate();
      this.#counters.tableSeconds += this.#tables.seconds;
    }
  }

  sample(userIdxs: Int32Array, posItemIdxs: Int32Array, k: number, scorer: Scorer): NegativeSample {
    if (!this.#tables) this.beginEpoch(1);
    // k walks per pair: repeat the pair.
    const users = k === 1 ? userIdxs : repeatEach(userIdxs, k);
    const positives = k === 1 ? posItemIdxs : repeatEach(posItemIdxs, k);
    const learn = this.#batch % this.#options.policyEvery === 0;
    this.#batch += 1;
    const c = this.#counters;
    const began = performance.now();
    let walks: Walks | undefined;
    if (learn) {
      // The walk runs inside the policy step's forward pass; the batches until the next step reuse its representations.
      let walkSeconds = 0;
      this.#h = this.#network.learn((h) => {
        const walkBegan = performance.now();
        const grad = new Float32Array(h.length);
        walks = this.#walk(h, users, positives, scorer, grad);
        walkSeconds = (performance.now() - walkBegan) / 1000;
        return grad;
      });
      this.#pruneCache.invalidate();
      c.policySteps += 1;
      c.walkSeconds += walkSeconds;
      c.graphSeconds += (performance.now() - began) / 1000 - walkSeconds;
    } else {
      if (!this.#h) {
        this.#h = this.#network.representValues();
        this.#pruneCache.invalidate();
        c.graphSeconds += (performance.now() - began) / 1000;
      }
      const walkBegan = performance.now();
      walks = this.#walk(this.#h, users, positives, scorer);
      c.walkSeconds += (performance.now() - walkBegan) / 1000;
    }
    if (!walks) throw new Error('kgpolicy: the policy step returned without walking');
    const stride = 2 * walks.steps + 1;
    for (let p = 0; p < users.length; p += 1) {
      for (let t = 1; t < stride; t += 2) {
        const node = walks.nodes[p * stride + t]!;
        if (node < this.graph.users) c.middleUsers += 1;
        else if (node < this.graph.users + this.graph.items) c.middleItems += 1;
        else c.middleEntities += 1;
      }
    }
    this.#lastWalks = walks;
    const negatives = new Int32Array(users.length);
    const width = 2 * walks.steps + 1;
    const itemBase = this.graph.users;
    const uniform = () => this.#ctx.rng.nextInt(this.#ctx.numItems);
    for (let b = 0; b < users.length; b += 1) {
      let item = walks.nodes[b * width + width - 1]! - itemBase;
      if (csrHas(this.#ctx.train, users[b]!, item)) {
        item = this.#drawer.draw(users[b]!, uniform);
        this.#counters.replacedPositives += 1;
      }
      negatives[b] = item;
    }
    this.#counters.walks += users.length;
    return { itemIdxs: negatives };
  }

  /** The most recent batch's walks (for explanations). */
  lastWalks(): Walks | undefined {
    return this.#lastWalks;
  }

  /** Walks for the given pairs with the current policy and tables, no learning: what explanations record. */
  explain(userIdxs: Int32Array, posItemIdxs: Int32Array, scorer: Scorer): Walks {
    if (!this.#tables) this.beginEpoch(1);
    if (!this.#h) {
      this.#h = this.#network.representValues();
      this.#pruneCache.invalidate();
    }
    return this.#walk(this.#h, userIdxs, posItemIdxs, scorer);
  }

  /**
   * One training positive per user (seeded pick), walked by the final policy.
   * Walks that ended on a training positive (the sampler swaps those for a
   * random item) have no path to show: left out.
   */
  explainNegatives(scorer: Scorer, rng: Rng): ExplainedNegative[] {
    const train = this.#ctx.train;
    const users: number[] = [];
    const positives: number[] = [];
    for (let u = 0; u < train.rows; u += 1) {
      const from = train.indptr[u]!;
      const count = train.indptr[u + 1]! - from;
      if (count === 0) continue;
      users.push(u);
      positives.push(train.indices[from + rng.nextInt(count)]!);
    }
    const walks = this.explain(Int32Array.from(users), Int32Array.from(positives), scorer);
    const { users: userCount, items: itemCount, adjacency } = this.graph;
    const node = (n: number): PathNode =>
      n < userCount ? { kind: 'user', idx: n } : n < userCount + itemCount ? { kind: 'item', idx: n - userCount } : { kind: 'entity', idx: n - userCount - itemCount };
    const width = 2 * walks.steps + 1;
    const out: ExplainedNegative[] = [];
    users.forEach((u, p) => {
      const path = walks.nodes.subarray(p * width, (p + 1) * width);
      const negative = path[width - 1]! - userCount;
      if (csrHas(train, u, negative)) return;
      let viaGraph = true;
      for (let k = 0; k + 1 < width; k += 1) if (!csrHas(adjacency, path[k]!, path[k + 1]!)) viaGraph = false;
      out.push({ userIdx: u, positiveIdx: positives[p]!, negativeIdx: negative, path: Array.from(path, node), viaGraph });
    });
    return out;
  }

  /** T exploration operations per pair; with `grad`, adds dLoss/dH of the REINFORCE loss. */
  #walk(h: Float32Array, users: Int32Array, positives: Int32Array, scorer: Scorer, grad?: Float32Array): Walks {
    const o = this.#options;
    const tables = this.#tables!;
    const dim = o.dim;
    const b = users.length;
    const T = o.steps;
    const width = 2 * T + 1;
    const nodes = new Int32Array(b * width);
    const itemBase = this.graph.users;
    for (let p = 0; p < b; p += 1) nodes[p * width] = itemBase + positives[p]!;
    const current = Int32Array.from(positives, (i) => itemBase + i);
    const hop2Width = o.n1 + o.randomItems;
    for (let t = 0; t < T; t += 1) {
      // Hop 1: from the current item to any neighbour.
      const w1 = Math.min(o.n2, o.n1);
      const hop1 = this.#prune(h, current, (node) => tables.anyNeighbours.subarray((node - itemBase) * o.n1, (node - itemBase + 1) * o.n1), o.n1, 1);
      const rows1 = { users, at: current.slice(), candidates: hop1, width: w1, mask: this.#mask(hop1, w1, nodes, width, 2 * t) };
      const log1 = attentionLogProbs(h, dim, rows1);
      const chosen1 = this.#draw(log1, w1, o.hop1Argmax);
      const middle = Int32Array.from({ length: b }, (_, p) => hop1[p * w1 + chosen1[p]!]!);
      for (let p = 0; p < b; p += 1) nodes[p * width + 2 * t + 1] = middle[p]!;
      // Hop 2: from the intermediate node to an item (its item neighbours, then random items).
      const w2 = Math.min(o.n2, hop2Width);
      const hop2 = this.#prune(h, middle, (node) => tables.itemNeighbours.subarray(node * hop2Width, (node + 1) * hop2Width), hop2Width, 2);
      const rows2 = { users, at: middle, candidates: hop2, width: w2, mask: this.#mask(hop2, w2, nodes, width, 2 * t + 1) };
      const log2 = attentionLogProbs(h, dim, rows2);
      const chosen2 = o.recommenderPick ? this.#recommenderPick(users, hop2, rows2.mask, w2, scorer) : this.#draw(log2, w2, false);
      for (let p = 0; p < b; p += 1) {
        current[p] = hop2[p * w2 + chosen2[p]!]!;
        nodes[p * width + 2 * t + 2] = current[p]!;
      }
      if (!grad) continue;
      // Eq. 7's reward for proposal e_t from the recommender, then eq. 16's weight on log P(a_t) = log P(hop 1) + log P(hop 2).
      const items = Int32Array.from(current, (node) => node - itemBase);
      const toUser = scorer.scoreCandidates(users, items, 1);
      const toPositive = scorer.scoreItemPairs(positives, items, 1);
      const weights = new Float32Array(b);
      let sum = 0;
      for (let p = 0; p < b; p += 1) sum += toUser[p]! + toPositive[p]!;
      const mean = sum / b;
      // The baseline: the average reward of recent negatives at this step (exponential, 0.9 per policy step).
      const baseline = o.baseline ? (this.#baselineReady ? this.#baselines[t]! : mean) : 0;
      const scale = o.gamma ** t / (T * b);
      for (let p = 0; p < b; p += 1) weights[p] = scale * (toUser[p]! + toPositive[p]! - baseline);
      this.#baselines[t] = this.#baselineReady ? 0.9 * this.#baselines[t]! + 0.1 * mean : mean;
      if (t === T - 1) this.#counters.rewardSum += mean;
      accumulateAttentionGradient(h, dim, rows1, log1, chosen1, weights, grad);
      accumulateAttentionGradient(h, dim, rows2, log2, chosen2, weights, grad);
    }
    if (grad) this.#baselineReady = true;
    return { steps: T, nodes };
  }

  /**
   * The min(n2, width) candidates of each row most similar to its node (h_e . h_c), from the rows `rowOf` gives.
   * A node's pruned row depends only on the representations and this epoch's tables, so it is computed once per
   * node between policy steps (`hop` picks the cache) and copied for every later walk through the node.
   */
  #prune(h: Float32Array, at: Int32Array, rowOf: (node: number) => Int32Array, width: number, hop: 1 | 2): Int32Array {
    const { dim } = this.#options;
    const keep = this.#pruneCache.width(hop);
    const b = at.length;
    const pruned = new Int32Array(b * keep);
    const scores = new Float32Array(width);
    const sorted = new Float32Array(width);
    for (let p = 0; p < b; p += 1) {
      const node = at[p]!;
      const cached = this.#pruneCache.get(hop, node);
      if (cached) {
        pruned.set(cached, p * keep);
        continue;
      }
      const row = rowOf(node);
      const out = pruned.subarray(p * keep, (p + 1) * keep);
      if (keep >= width) out.set(row);
      else {
        const e = node * dim;
        for (let c = 0; c < width; c += 1) {
          const k = row[c]! * dim;
          let sum = 0;
          for (let d = 0; d < dim; d += 1) sum += h[e + d]! * h[k + d]!;
          scores[c] = sum;
        }
        // The keep-th largest score by a native numeric sort of a copy (a comparator sort was the walk's hot spot),
        // then the candidates above it in row order, then ties at it in row order.
        sorted.set(scores);
        sorted.sort();
        const threshold = sorted[width - keep]!;
        let n = 0;
        for (let c = 0; c < width && n < keep; c += 1) if (scores[c]! > threshold) out[n++] = row[c]!;
        for (let c = 0; c < width && n < keep; c += 1) if (scores[c] === threshold) out[n++] = row[c]!;
      }
      this.#pruneCache.set(hop, node, out);
    }
    return pruned;
  }

  /** -1e9 on candidates already on the trajectory (nodes 0..visited); none masked when all are. */
  #mask(candidates: Int32Array, n2: number, trajectory: Int32Array, width: number, visited: number): Float32Array {
    const b = candidates.length / n2;
    const mask = new Float32Array(candidates.length);
    for (let p = 0; p < b; p += 1) {
      let open = 0;
      for (let c = 0; c < n2; c += 1) {
        const node = candidates[p * n2 + c]!;
        let seen = false;
        for (let v = 0; v <= visited; v += 1) if (trajectory[p * width + v] === node) seen = true;
        if (seen) mask[p * n2 + c] = -1e9;
        else open += 1;
      }
      if (open === 0) {
        mask.fill(0, p * n2, (p + 1) * n2);
        this.#counters.trajectoryDeadEnds += 1;
      }
    }
    return mask;
  }

  /** Per row, the candidate the recommender scores highest for the user (masked ones excluded). */
  #recommenderPick(users: Int32Array, candidates: Int32Array, mask: Float32Array, n2: number, scorer: Scorer): Int32Array {
    const itemBase = this.graph.users;
    const scores = scorer.scoreCandidates(users, Int32Array.from(candidates, (node) => node - itemBase), n2);
    const index = new Int32Array(users.length);
    for (let p = 0; p < users.length; p += 1) {
      let best = -1;
      for (let c = 0; c < n2; c += 1) {
        if (mask[p * n2 + c] !== 0) continue;
        if (best < 0 || scores[p * n2 + c]! > scores[p * n2 + best]!) best = c;
      }
      index[p] = Math.max(best, 0);
    }
    return index;
  }

  /** A draw from each row's distribution (or its argmax). */
  #draw(logProbs: Float32Array, n2: number, argmax: boolean): Int32Array {
    const b = logProbs.length / n2;
    const index = new Int32Array(b);
    const rng = this.#ctx.rng;
    for (let p = 0; p < b; p += 1) {
      const base = p * n2;
      if (argmax) {
        let best = 0;
        for (let c = 1; c < n2; c += 1) if (logProbs[base + c]! > logProbs[base + best]!) best = c;
        index[p] = best;
        continue;
      }
      let x = rng.nextFloat();
      let c = 0;
      while (c < n2 - 1 && x >= Math.exp(logProbs[base + c]!)) x -= Math.exp(logProbs[base + c++]!);
      index[p] = c;
    }
    return index;
  }

  stats(): Record<string, number> {
    const c = this.#counters;
    return {
      walks: c.walks,
      replacedPositives: c.replacedPositives,
      replacedPositiveRate: c.walks === 0 ? 0 : c.replacedPositives / c.walks,
      trajectoryDeadEnds: c.trajectoryDeadEnds,
      policySteps: c.policySteps,
      neighbourTableSeconds: c.tableSeconds,
      graphLearningSeconds: c.graphSeconds,
      walkSeconds: c.walkSeconds,
      middleUserShare: share(c.middleUsers, c.middleUsers + c.middleItems + c.middleEntities),
      middleEntityShare: share(c.middleEntities, c.middleUsers + c.middleItems + c.middleEntities),
      meanFinalReward: c.policySteps === 0 ? 0 : c.rewardSum / c.policySteps,
      pruneCacheHitRate: share(this.#pruneCache.hits, this.#pruneCache.hits + this.#pruneCache.misses),
      nodes: this.graph.nodes,
      edges: this.graph.adjacency.indices.length,
      ...this.#drawer.counters,
    };
  }

  dispose(): void {
    this.#network.dispose();
  }
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function repeatEach(values: Int32Array, k: number): Int32Array {
  const out = new Int32Array(values.length * k);
  for (let b = 0; b < values.length; b += 1) out.fill(values[b]!, b * k, (b + 1) * k);
  return out;
}
