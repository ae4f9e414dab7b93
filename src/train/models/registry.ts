/** Every model, by its lower-case name, with its defaults. */
import { KgnegError } from '../../graph/errors.js';
import { GeneralizedMf } from './gmf.js';
import { LightGcn } from './lightgcn.js';
import { MatrixFactorization } from './mf.js';
import type { Model, ModelInit } from './types.js';
import type { Csr } from '../../sampling/csr.js';

export interface ModelDefaults {
  readonly dim: number;
  readonly l2: number;
  readonly learningRate: number;
}

export interface ModelEntry {
  readonly description: string;
  readonly defaults: ModelDefaults;
  create(init: ModelInit, graph: { readonly train: Csr }): Model;
}

export const MODELS: Readonly<Record<string, ModelEntry>> = Object.freeze({
  mf: {
    description: 'matrix factorisation, y = p_u . q_i',
    // KGPolicy's MF settings on amazon-book: d 64, Adam 1e-3, L2 1e-5 on the batch's rows.
    defaults: { dim: 64, l2: 1e-5, learningRate: 1e-3 },
    create: (init) => new MatrixFactorization(init),
  },
  gmf: {
    description: 'generalized MF, y = h . (p_u * q_i) (RNS)',
    defaults: { dim: 32, l2: 1e-5, learningRate: 1e-3 },
    create: (init) => new GeneralizedMf(init),
  },
  lightgcn: {
    description: 'LightGCN, 3 propagation layers over the train graph (dense updates)',
    // The LightGCN/SDNS settings: d 64, Adam 1e-3, L2 1e-4 on the batch's ego rows.
    defaults: { dim: 64, l2: 1e-4, learningRate: 1e-3 },
    create: (init, graph) => new LightGcn(init, graph.train),
  },
});

export function modelEntry(name: string): ModelEntry {
  const entry = MODELS[name];
  if (!entry) {
    throw new KgnegError(`unknown model '${name}'`, { hint: `known models: ${Object.keys(MODELS).join(', ')}`, exitCode: 2 });
  }
  return entry;
}
