/** Every model, by its lower-case name, with its defaults. */
import { KgnegError } from '../../graph/errors.js';
import { GeneralizedMf } from './gmf.js';
import { Jnskr, type ItemKgCsr } from './jnskr.js';
import { LightGcn } from './lightgcn.js';
import { MatrixFactorization } from './mf.js';
import type { Model, ModelInit } from './types.js';
import type { Csr } from '../../base/csr.js';

export interface ModelDefaults {
  readonly dim: number;
  readonly l2: number;
  readonly learningRate: number;
  readonly optimizer?: 'adam' | 'adagrad';
  /** Training batch size, when the model's own differs from the trainer's (jnskr: items per batch). */
  readonly batchSize?: number;
}

/** What a model may need besides the training interactions. */
export interface ModelGraph {
  readonly train: Csr;
  /** Each item's (relation, entity) pairs (jnskr). */
  readonly itemKg?: ItemKgCsr;
  readonly options?: Readonly<Record<string, number | string>>;
  readonly batchSize?: number;
}

export interface ModelEntry {
  readonly description: string;
  readonly defaults: ModelDefaults;
  /** Trains on the whole data without a sampler (model.trainEpoch). */
  readonly nonSampling?: boolean;
  /** Reads each item's KG neighbourhood from Neo4j. */
  readonly needsItemKg?: boolean;
  /** Its step can read results back asynchronously, as webgpu requires (mf, gmf; see readsAsync in backend.ts). */
  readonly asyncReads?: boolean;
  create(init: ModelInit, graph: ModelGraph): Model;
}

export const MODELS: Readonly<Record<string, ModelEntry>> = Object.freeze({
  mf: {
    description: 'matrix factorisation, y = p_u . q_i',
    // KGPolicy's MF settings on amazon-book: d 64, Adam 1e-3, L2 1e-5 on the batch's rows.
    defaults: { dim: 64, l2: 1e-5, learningRate: 1e-3 },
    asyncReads: true,
    create: (init) => new MatrixFactorization(init),
  },
  gmf: {
    description: 'generalized MF, y = h . (p_u * q_i) (RNS)',
    defaults: { dim: 32, l2: 1e-5, learningRate: 1e-3 },
    asyncReads: true,
    create: (init) => new GeneralizedMf(init),
  },
  lightgcn: {
    description: 'LightGCN, 3 propagation layers over the train graph (dense updates)',
    // The LightGCN/SDNS settings: d 64, Adam 1e-3, L2 1e-4 on the batch's ego rows.
    defaults: { dim: 64, l2: 1e-4, learningRate: 1e-3 },
    create: (init, graph) => new LightGcn(init, graph.train),
  },
  jnskr: {
    description: 'JNSKR: h . (p_u * q_v), q_v = e_v + attention over its KG; whole-data CF + KG loss, no sampling',
    // The official code's amazon-book settings: d 64, Adagrad 0.05, L2 1e-5 (attention 1), batches of 256 items.
    defaults: { dim: 64, l2: 1e-5, learningRate: 0.05, optimizer: 'adagrad', batchSize: 256 },
    nonSampling: true,
    needsItemKg: true,
    create: (init, graph) => {
      if (!graph.itemKg || graph.itemKg.entityIdxs.length === 0) {
        throw new KgnegError('jnskr needs a knowledge graph: this dataset has no KG triples on its items', { exitCode: 2 });
      }
      const o = graph.options ?? {};
      return new Jnskr(init, graph.train, graph.itemKg, {
        ...(o['attention'] === 'summary' || o['attention'] === 'code' ? { attention: o['attention'] } : {}),
        ...(typeof o['c0'] === 'number' ? { c0: o['c0'] } : {}),
        ...(typeof o['c1'] === 'number' ? { c1: o['c1'] } : {}),
        ...(typeof o['mu'] === 'number' ? { mu: o['mu'] } : {}),
        ...(graph.batchSize ? { batchItems: graph.batchSize } : {}),
      });
    },
  },
});

export function modelEntry(name: string): ModelEntry {
  const entry = MODELS[name];
  if (!entry) {
    throw new KgnegError(`unknown model '${name}'`, { hint: `known models: ${Object.keys(MODELS).join(', ')}`, exitCode: 2 });
  }
  return entry;
}
