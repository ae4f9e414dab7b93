/**
 * Every model, by its lower-case name: its defaults for the shared training
 * options, its own options (declared once, with schema and doc), what it
 * offers samplers, and a factory.
 */
import { option, OptionError, resolveOptions, type OptionSpecs, type OptionValue, type OptionValues } from '../../base/options.js';
import { KgnegError } from '../../graph/errors.js';
import type { ModelCapability } from '../../sampling/registry.js';
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
  readonly options?: Readonly<Record<string, OptionValue>>;
  readonly batchSize?: number;
}

export interface ModelEntry<S extends OptionSpecs = OptionSpecs> {
  readonly description: string;
  readonly defaults: ModelDefaults;
  /** Its own options (jnskr's weights and attention). */
  readonly options: S;
  /** What it offers samplers (see SamplerEntry.needsModel). */
  readonly capabilities?: readonly ModelCapability[];
  /** Trains on the whole data without a sampler (model.trainEpoch). */
  readonly nonSampling?: boolean;
  /** Reads each item's KG neighbourhood from Neo4j. */
  readonly needsItemKg?: boolean;
  /** Its step can read results back asynchronously, as webgpu requires (mf, gmf; see readsAsync in backend.ts). */
  readonly asyncReads?: boolean;
  create(init: ModelInit, graph: ModelGraph, options: OptionValues<S>): Model;
}

function model<S extends OptionSpecs>(entry: ModelEntry<S>): ModelEntry {
  return entry as unknown as ModelEntry;
}

export const MODELS: Readonly<Record<string, ModelEntry>> = Object.freeze({
  mf: model({
    description: 'matrix factorisation, y = p_u . q_i',
    // KGPolicy's MF settings on amazon-book: d 64, Adam 1e-3, L2 1e-5 on the batch's rows.
    defaults: { dim: 64, l2: 1e-5, learningRate: 1e-3 },
    options: {},
    capabilities: ['pairFeatures'],
    asyncReads: true,
    create: (init) => new MatrixFactorization(init),
  }),
  gmf: model({
    description: 'generalized MF, y = h . (p_u * q_i) (RNS)',
    defaults: { dim: 32, l2: 1e-5, learningRate: 1e-3 },
    options: {},
    capabilities: ['pairFeatures'],
    asyncReads: true,
    create: (init) => new GeneralizedMf(init),
  }),
  lightgcn: model({
    description: 'LightGCN, 3 propagation layers over the train graph (dense updates)',
    // The LightGCN/SDNS settings: d 64, Adam 1e-3, L2 1e-4 on the batch's ego rows.
    defaults: { dim: 64, l2: 1e-4, learningRate: 1e-3 },
    options: {},
    create: (init, graph) => new LightGcn(init, graph.train),
  }),
  jnskr: model({
    description: 'JNSKR: h . (p_u * q_v), q_v = e_v + attention over its KG; whole-data CF + KG loss, no sampling',
    // The official code's amazon-book settings: d 64, Adagrad 0.05, L2 1e-5 (attention 1), batches of 256 items.
    defaults: { dim: 64, l2: 1e-5, learningRate: 0.05, optimizer: 'adagrad', batchSize: 256 },
    options: {
      attention: option.enum('attention over an item\'s KG pairs: the code\'s relu(W (e_r * e_t) + b), or the summary\'s sigmoid form', ['code', 'summary'], 'code'),
      c0: option.number('weight of the missing interactions (CF part)', 300, { above: 0 }),
      c1: option.number('weight of the missing KG pairs (KG part)', 600, { above: 0 }),
      mu: option.number('weight of the KG loss against the CF loss', 0.01, { min: 0 }),
    },
    nonSampling: true,
    needsItemKg: true,
    create: (init, graph, o) => {
      if (!graph.itemKg || graph.itemKg.entityIdxs.length === 0) {
        throw new KgnegError('jnskr needs a knowledge graph: this dataset has no KG triples on its items', { exitCode: 2 });
      }
      return new Jnskr(init, graph.train, graph.itemKg, {
        attention: o.attention,
        c0: o.c0,
        c1: o.c1,
        mu: o.mu,
        ...(graph.batchSize ? { batchItems: graph.batchSize } : {}),
      });
    },
  }),
});

/** Defaults overlaid with the user's values, each checked against its declaration. */
export function modelOptions(name: string, given: Readonly<Record<string, unknown>>): Readonly<Record<string, OptionValue>> {
  const entry = modelEntry(name);
  try {
    return resolveOptions(`model '${name}'`, entry.options, given) as Readonly<Record<string, OptionValue>>;
  } catch (error) {
    if (error instanceof OptionError) throw new KgnegError(error.message, { ...(error.hint ? { hint: error.hint } : {}), exitCode: 2 });
    throw error;
  }
}

/** Builds a model with its options (defaults where not given). */
export function createModel(name: string, init: ModelInit, graph: ModelGraph): Model {
  const entry = modelEntry(name);
  return entry.create(init, graph, modelOptions(name, graph.options ?? {}) as OptionValues<OptionSpecs>);
}

export function modelEntry(name: string): ModelEntry {
  const entry = MODELS[name];
  if (!entry) {
    throw new KgnegError(`unknown model '${name}'`, { hint: `known models: ${Object.keys(MODELS).join(', ')}`, exitCode: 2 });
  }
  return entry;
}
