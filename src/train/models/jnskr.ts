/**
 * JNSKR (Chen et al., SIGIR'20; ../shared/papers/001 is a reader's summary,
 * hyper-parameters from the official code chenchongthu/JNSKR for amazon-book):
 *
 *   q_v = e_v + sum_(r,t) in N_v alpha_(r,t) e_t,   yhat_uv = h . (p_u * q_v)
 *
 * trained without negative sampling on batches of items: the whole-data CF
 * loss over every user and the DistMult KG loss over every (relation, tail)
 * (jnskr-loss.ts), joint as L_CF + mu L_KG + L2, with elementwise dropout on
 * e_v (CF: keep 0.8; KG head: keep 0.7) and on the KG sum (keep 0.7), Adagrad
 * (lr 0.05), dense updates: the whole-data term gives every user, entity and
 * relation a gradient each step.
 *
 * Attention: `code` (default) is the official code's
 * alpha* = h_a . relu(W (e_r * e_t) + b); `summary` is the summary's
 * alpha* = h_a . sigmoid(W1 e_t + W2 e_r + b) (sigma read as the sigmoid). Both
 * are softmaxed over the item's pairs; attention size d/2 as the code.
 * Differences from the code, on purpose: every item with training interactions
 * is trained (the code skips items without KG triples); an item's users are
 * all of them (the code truncates at the 99.99th percentile of item degree);
 * the KG weight of an item is c1 g_v^p / sum_j g_j^p over its triple count g
 * (the code divides c1 m_v^p, m being the interaction share, by the KG sum).
 *
 * Gradients: tfjs differentiates the batch's loss with respect to the tables it
 * reads whole (users, entities, relations) and to the rows gathered in JS (the
 * batch's items, their tails and relations, the users of observed pairs); the
 * gathered rows' gradients are added back into the tables here, as in
 * pairwise.ts, because tfjs's gather gradient has no wasm kernel.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Csr } from '../../base/csr.js';
import { Rng } from '../../base/rng.js';
import { tf } from '../backend.js';
import type { Optimizer } from '../optim/adam.js';
import { ParamTable } from '../params.js';
import { nonSamplingCfLoss, nonSamplingKgLoss, popularityWeights } from './jnskr-loss.js';
import { innerProductScores } from './pairwise.js';
import type { EpochStats, FinalEmbeddings, Model, ModelInit, StepResult } from './types.js';

/** Each item's (relation, entity) pairs, CSR over items. */
export interface ItemKgCsr {
  readonly numEntities: number;
  readonly numRelations: number;
  /** [items + 1] */
  readonly indptr: Int32Array;
  readonly relationIdxs: Int32Array;
  readonly entityIdxs: Int32Array;
}

export interface JnskrConfig {
  readonly c0: number;
  readonly c1: number;
  readonly p: number;
  readonly mu: number;
  /** L2 on the attention parameters (the code's lambda_bilinear[1]). */
  readonly attentionL2: number;
  readonly keepCf: number;
  readonly keepKg: number;
  readonly attention: 'code' | 'summary';
  readonly batchItems: number;
}

const DEFAULT_JNSKR: JnskrConfig = Object.freeze({
  c0: 300,
  c1: 600,
  p: 0.5,
  mu: 0.01,
  attentionL2: 1,
  keepCf: 0.8,
  keepKg: 0.7,
  attention: 'code',
  batchItems: 256,
});

export class Jnskr implements Model {
  readonly name = 'jnskr';
  readonly dim: number;
  readonly updates = 'dense' as const;
  readonly users: ParamTable;
  readonly items: ParamTable;
  readonly entities: ParamTable;
  readonly relations: ParamTable;
  readonly h: ParamTable;
  /** code: W [d, a]; summary: W1 [d, a] */
  readonly attW: ParamTable;
  /** summary only: W2 [d, a] (unused by `code`) */
  readonly attW2: ParamTable;
  readonly attB: ParamTable;
  readonly attH: ParamTable;
  readonly config: JnskrConfig;
  readonly #train: Csr;
  /** item -> its training users */
  readonly #itemUsers: Csr;
  readonly #kg: ItemKgCsr;
  readonly #cfWeight: Float32Array;
  readonly #kgWeight: Float32Array;
  readonly #trainItems: Int32Array;
  readonly #l2: number;
  readonly #rng: Rng;
  #final: FinalEmbeddings | undefined;

  constructor(init: ModelInit, train: Csr, kg: ItemKgCsr, config: Partial<JnskrConfig> = {}) {
    this.config = { ...DEFAULT_JNSKR, ...config };
    const rng = new Rng(init.seed);
    this.#rng = new Rng(init.seed ^ 0x5eed);
    this.dim = init.dim;
    const d = init.dim;
    const a = Math.max(1, Math.floor(d / 2));
    // The code: truncated normal (std 0.01) embeddings, h and h_a at 0.01, attention W Glorot-like.
    const normal = (name: string, rows: number, cols: number, std: number) =>
      new ParamTable(name, rows, cols, Float32Array.from({ length: rows * cols }, () => truncatedNormal(rng) * std));
    this.users = normal('users', init.users, d, 0.01);
    this.items = normal('items', init.items, d, 0.01);
    this.entities = normal('entities', kg.numEntities, d, 0.01);
    this.relations = normal('relations', Math.max(1, kg.numRelations), d, 0.01);
    this.h = new ParamTable('h', 1, d, new Float32Array(d).fill(0.01));
    this.attW = normal('attW', d, a, Math.sqrt(2 / (a + d)));
    this.attW2 = normal('attW2', d, a, Math.sqrt(2 / (a + d)));
    this.attB = new ParamTable('attB', 1, a);
    this.attH = new ParamTable('attH', 1, a, new Float32Array(a).fill(0.01));
    this.#train = train;
    this.#kg = kg;
    this.#l2 = init.l2;
    this.#itemUsers = transpose(train);
    const itemCounts = Int32Array.from({ length: init.items }, (_, v) => this.#itemUsers.indptr[v + 1]! - this.#itemUsers.indptr[v]!);
    const kgCounts = Int32Array.from({ length: init.items }, (_, v) => kg.indptr[v + 1]! - kg.indptr[v]!);
    this.#cfWeight = popularityWeights(itemCounts, this.config.c0, this.config.p);
    this.#kgWeight = popularityWeights(kgCounts, this.config.c1, this.config.p);
    this.#trainItems = Int32Array.from(Array.from(itemCounts.keys()).filter((v) => itemCounts[v]! > 0));
  }

  trainStep(): StepResult {
    throw new Error('jnskr is trained without negative sampling: the trainer calls trainEpoch');
  }

  trainEpoch(optimizer: Optimizer, rng: Rng): EpochStats {
    const order = this.#trainItems.slice();
    rng.shuffle(order);
    let loss = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += this.config.batchItems) {
      loss += this.trainBatch(order.subarray(start, start + this.config.batchItems), optimizer);
      batches += 1;
    }
    return { loss: loss / batches, pairs: this.#train.indices.length };
  }

  /** One optimizer step on a batch of items; returns the batch's joint loss (without the parameter-free constant). */
  trainBatch(itemIdxs: Int32Array, optimizer: Optimizer): number {
    const d = this.dim;
    const a = this.attH.dim;
    const size = itemIdxs.length;
    // The batch's KG pairs, flat (an item's neighbourhood runs from a few pairs to hundreds:
    // padding to the widest would be mostly zeros); pairOf maps each pair to its batch row.
    const { tails, rels, tailIdx, relIdx, pairOf } = this.#kgPairs(itemIdxs);
    const pairCount = tailIdx.length;
    // Observed (user, item) pairs of the batch: users' rows, and which batch row their item is.
    const pairUsers: number[] = [];
    const pairRows: number[] = [];
    for (let b = 0; b < size; b += 1) {
      const v = itemIdxs[b]!;
      for (let k = this.#itemUsers.indptr[v]!; k < this.#itemUsers.indptr[v + 1]!; k += 1) {
        pairUsers.push(this.#itemUsers.indices[k]!);
        pairRows.push(b);
      }
    }
    const pairUserIdx = Int32Array.from(pairUsers);
    const itemRows = this.items.gather(itemIdxs);
    const pairUserRows = this.users.gather(pairUserIdx);
    const dropCf = dropoutMask(size * d, this.config.keepCf, this.#rng);
    const dropKgSum = dropoutMask(size * d, this.config.keepKg, this.#rng);
    const dropHead = dropoutMask(size * d, this.config.keepKg, this.#rng);
    const cfWeight = Float32Array.from(itemIdxs, (v) => this.#cfWeight[v]!);
    const kgWeight = Float32Array.from(itemIdxs, (v) => this.#kgWeight[v]!);
    const summary = this.config.attention === 'summary';
    const { mu } = this.config;
    const attentionL2 = this.config.attentionL2;

    const kept = tf.tidy(() => {
      const inputs: tfc.Tensor[] = [
        tf.tensor2d(this.users.data, [this.users.rows, d]),
        tf.tensor2d(itemRows, [size, d]),
        tf.tensor2d(tails, [pairCount, d]),
        tf.tensor2d(rels, [pairCount, d]),
        tf.tensor2d(this.entities.data, [this.entities.rows, d]),
        tf.tensor2d(this.relations.data, [this.relations.rows, d]),
        tf.tensor1d(this.h.data),
        tf.tensor2d(this.attW.data, [d, a]),
        tf.tensor2d(this.attW2.data, [d, a]),
        tf.tensor1d(this.attB.data),
        tf.tensor1d(this.attH.data),
        tf.tensor2d(pairUserRows, [pairUserIdx.length, d]),
      ];
      // [B, pairs]: row b has a 1 at each of item b's KG pairs (segment sums as matrix products, which have gradients on wasm).
      const segments = tf.oneHot(tf.tensor1d(pairOf, 'int32'), size).transpose() as tfc.Tensor2D;
      const onehot = tf.oneHot(tf.tensor1d(Int32Array.from(pairRows), 'int32'), size) as tfc.Tensor2D;
      const dropCfT = tf.tensor2d(dropCf, [size, d]);
      const dropKgSumT = tf.tensor2d(dropKgSum, [size, d]);
      const dropHeadT = tf.tensor2d(dropHead, [size, d]);
      const cfWeightT = tf.tensor1d(cfWeight);
      const kgWeightT = tf.tensor1d(kgWeight);
      const pairWeightT = tf.tensor1d(Float32Array.from(pairRows, (b) => cfWeight[b]!));
      const tripleWeightT = tf.tensor1d(Float32Array.from(pairOf, (b) => kgWeight[b]!));
      const objective = (...xs: tfc.Tensor[]) => {
        const [P, E, T, R, Eall, Rall, h, W, W2, B, H, PU] = xs as [
          tfc.Tensor2D, tfc.Tensor2D, tfc.Tensor2D, tfc.Tensor2D, tfc.Tensor2D, tfc.Tensor2D,
          tfc.Tensor1D, tfc.Tensor2D, tfc.Tensor2D, tfc.Tensor1D, tfc.Tensor1D, tfc.Tensor2D,
        ];
        const kgSum = attentiveSum(summary, segments, T, R, W, W2, B, H);
        const Q = tf.add(tf.mul(E, dropCfT), tf.mul(kgSum, dropKgSumT)) as tfc.Tensor2D;
        const cf = nonSamplingCfLoss({
          users: P,
          items: Q,
          h,
          negWeight: cfWeightT,
          posUsers: PU,
          posItems: tf.matMul(onehot, Q),
          posNegWeight: pairWeightT,
          posWeight: 1,
        });
        const heads = tf.mul(E, dropHeadT) as tfc.Tensor2D;
        const headsPerTriple = tf.matMul(tf.transpose(segments), heads) as tfc.Tensor2D;
        const kgLoss = nonSamplingKgLoss({
          heads,
          headNegWeight: kgWeightT,
          tails: Eall,
          relations: Rall,
          posHeads: headsPerTriple,
          posRelations: R,
          posTails: T,
          posNegWeight: tripleWeightT,
          posWeight: 1,
        });
        // With the code's attention W2 is unused; 0 x W2 keeps it in the graph (valueAndGrads wants a gradient for every input).
        const w2Term = summary ? tf.sum(tf.square(W2)) : tf.mul(0, tf.sum(W2));
        const attention = tf.mul(attentionL2 / 2, tf.addN([tf.sum(tf.square(W)), w2Term, tf.sum(tf.square(B)), tf.sum(tf.square(H))]));
        return tf.addN([cf, tf.mul(mu, kgLoss), attention]) as tfc.Scalar;
      };
      const { value, grads } = tf.valueAndGrads(objective)(inputs);
      return [value, ...grads];
    });
    const [value, ...gradTensors] = kept.map((t) => t.dataSync() as Float32Array);
    tf.dispose(kept);
    const [gP, gE, gT, gR, gEall, gRall, gH, gW, gW2, gB, gA, gPU] = gradTensors as Float32Array[];

    // Rows read in JS get their gradients added back; L2 (the code's lambda on the whole tables) is dense.
    addRows(gP!, pairUserIdx, gPU!, d);
    const gItems = new Float32Array(this.items.data.length);
    addRows(gItems, itemIdxs, gE!, d);
    addRows(gEall!, tailIdx, gT!, d);
    addRows(gRall!, relIdx, gR!, d);
    const l2 = this.#l2;
    let l2Loss = 0;
    for (const [table, grad] of [[this.users, gP!], [this.items, gItems], [this.entities, gEall!], [this.relations, gRall!]] as const) {
      for (let k = 0; k < grad.length; k += 1) {
        const w = table.data[k]!;
        l2Loss += w * w;
        grad[k]! += l2 * w;
      }
    }
    optimizer.beginStep();
    optimizer.applyDense(this.users, gP!);
    optimizer.applyDense(this.items, gItems);
    optimizer.applyDense(this.entities, gEall!);
    optimizer.applyDense(this.relations, gRall!);
    optimizer.applyDense(this.h, gH!);
    optimizer.applyDense(this.attW, gW!);
    if (summary) optimizer.applyDense(this.attW2, gW2!);
    optimizer.applyDense(this.attB, gB!);
    optimizer.applyDense(this.attH, gA!);
    this.#final = undefined;
    return (value?.[0] ?? Number.NaN) + (l2 / 2) * l2Loss;
  }

  /** An item batch's KG pairs, flat: tail and relation rows, their indices, and each pair's batch row. */
  #kgPairs(itemIdxs: Int32Array) {
    const d = this.dim;
    const kg = this.#kg;
    let count = 0;
    for (const v of itemIdxs) count += kg.indptr[v + 1]! - kg.indptr[v]!;
    const tails = new Float32Array(count * d);
    const rels = new Float32Array(count * d);
    const tailIdx = new Int32Array(count);
    const relIdx = new Int32Array(count);
    const pairOf = new Int32Array(count);
    let n = 0;
    itemIdxs.forEach((v, b) => {
      for (let k = kg.indptr[v]!; k < kg.indptr[v + 1]!; k += 1, n += 1) {
        tailIdx[n] = kg.entityIdxs[k]!;
        relIdx[n] = kg.relationIdxs[k]!;
        pairOf[n] = b;
        tails.set(this.entities.data.subarray(tailIdx[n]! * d, tailIdx[n]! * d + d), n * d);
        rels.set(this.relations.data.subarray(relIdx[n]! * d, relIdx[n]! * d + d), n * d);
      }
    });
    return { tails, rels, tailIdx, relIdx, pairOf };
  }

  /** q_v = e_v + attention-weighted KG sum for every item (no dropout), in chunks. */
  #itemVectors(): Float32Array {
    const d = this.dim;
    const a = this.attH.dim;
    const out = this.items.data.slice();
    const summary = this.config.attention === 'summary';
    const chunk = 512;
    for (let start = 0; start < this.items.rows; start += chunk) {
      const itemIdxs = Int32Array.from({ length: Math.min(this.items.rows, start + chunk) - start }, (_, b) => start + b);
      const { tails, rels, pairOf } = this.#kgPairs(itemIdxs);
      if (pairOf.length === 0) continue;
      const sum = tf.tidy(() =>
        attentiveSum(
          summary,
          tf.oneHot(tf.tensor1d(pairOf, 'int32'), itemIdxs.length).transpose() as tfc.Tensor2D,
          tf.tensor2d(tails, [pairOf.length, d]),
          tf.tensor2d(rels, [pairOf.length, d]),
          tf.tensor2d(this.attW.data, [d, a]),
          tf.tensor2d(this.attW2.data, [d, a]),
          tf.tensor1d(this.attB.data),
          tf.tensor1d(this.attH.data),
        ),
      );
      const values = sum.dataSync() as Float32Array;
      sum.dispose();
      for (let k = 0; k < values.length; k += 1) out[start * d + k]! += values[k]!;
    }
    return out;
  }

  finalEmbeddings(): FinalEmbeddings {
    if (this.#final) return this.#final;
    const users = new Float32Array(this.users.data.length);
    const h = this.h.data;
    // Users as p_u * h: the plain inner product with q_v is the model's score (Cypher ranks with it).
    for (let k = 0; k < users.length; k += 1) users[k] = this.users.data[k]! * h[k % this.dim]!;
    this.#final = { dim: this.dim, users, items: this.#itemVectors() };
    return this.#final;
  }

  scoreCandidates(userIdxs: Int32Array, itemIdxs: Int32Array, perUser: number): Float32Array {
    const { users, items } = this.finalEmbeddings();
    return innerProductScores(new ParamTable('u', this.users.rows, this.dim, users), new ParamTable('i', this.items.rows, this.dim, items), userIdxs, itemIdxs, perUser);
  }

  scoreItemPairs(anchorItemIdxs: Int32Array, itemIdxs: Int32Array, perAnchor: number): Float32Array {
    const table = new ParamTable('i', this.items.rows, this.dim, this.finalEmbeddings().items);
    return innerProductScores(table, table, anchorItemIdxs, itemIdxs, perAnchor);
  }

  tablesChanged(): void {
    this.#final = undefined;
  }

  tables(): readonly ParamTable[] {
    return [this.users, this.items, this.entities, this.relations, this.h, this.attW, this.attW2, this.attB, this.attH];
  }

  dispose(): void {
    this.#final = undefined;
  }
}

/**
 * sum over an item's pairs of softmax(alpha*) e_t, for a flat list of pairs:
 * segments [B, pairs] holds a 1 where pair n belongs to item b. The softmax
 * subtracts the batch's largest logit (logits stay small: h_a starts at 0.01);
 * an item without pairs gets the zero vector.
 */
function attentiveSum(
  summary: boolean,
  segments: tfc.Tensor2D,
  T: tfc.Tensor2D,
  R: tfc.Tensor2D,
  W: tfc.Tensor2D,
  W2: tfc.Tensor2D,
  B: tfc.Tensor1D,
  H: tfc.Tensor1D,
): tfc.Tensor2D {
  const hidden = summary ? tf.sigmoid(tf.add(tf.add(tf.matMul(T, W), tf.matMul(R, W2)), B)) : tf.relu(tf.add(tf.matMul(tf.mul(R, T), W), B));
  const logits = tf.sum(tf.mul(hidden, H), 1);
  const weights = tf.exp(tf.sub(logits, tf.max(logits)));
  const numerator = tf.matMul(segments, tf.mul(tf.expandDims(weights, 1), T));
  const denominator = tf.add(tf.matMul(segments, tf.expandDims(weights, 1)), 1e-12);
  return tf.div(numerator, denominator) as tfc.Tensor2D;
}

/** target[rows[r]] += grads[r] for rows >= 0 (padding rows carry -1). */
function addRows(target: Float32Array, rows: Int32Array, grads: Float32Array, dim: number): void {
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r]!;
    if (row < 0) continue;
    for (let k = 0; k < dim; k += 1) target[row * dim + k]! += grads[r * dim + k]!;
  }
}

/** Elementwise dropout as tf.nn.dropout: 1/keep with probability keep, else 0. */
function dropoutMask(length: number, keep: number, rng: Rng): Float32Array {
  const out = new Float32Array(length);
  if (keep >= 1) return out.fill(1);
  for (let k = 0; k < length; k += 1) out[k] = rng.nextFloat() < keep ? 1 / keep : 0;
  return out;
}

function truncatedNormal(rng: Rng): number {
  for (;;) {
    const x = rng.nextNormal();
    if (Math.abs(x) <= 2) return x;
  }
}

/** The item -> users CSR of a user -> items CSR. */
function transpose(train: Csr): Csr {
  const counts = new Int32Array(train.cols + 1);
  for (let k = 0; k < train.indices.length; k += 1) counts[train.indices[k]! + 1]! += 1;
  for (let v = 0; v < train.cols; v += 1) counts[v + 1]! += counts[v]!;
  const fill = counts.slice(0, train.cols);
  const indices = new Int32Array(train.indices.length);
  for (let u = 0; u < train.rows; u += 1) {
    for (let k = train.indptr[u]!; k < train.indptr[u + 1]!; k += 1) indices[fill[train.indices[k]!]!++] = u;
  }
  return { rows: train.cols, cols: train.rows, indptr: counts, indices };
}
