/**
 * Stages 2-4: pre-train (samplers that start from a trained recommender), fit
 * with validation-based early stopping, and refit on train + validation for
 * the selected epochs. Each fit builds its model and sampler from the
 * registries; the region filter and the exposures are computed against that
 * fit's own training pairs.
 */
import { Rng } from '../../../base/rng.js';
import { evaluateFullRanking } from '../../../eval/full-ranking.js';
import { evaluateImpressions } from '../../../eval/impression-ranking.js';
import { DnsSampler } from '../../../sampling/dns.js';
import { RegionFilter } from '../../../sampling/region.js';
import { samplerEntry } from '../../../sampling/registry.js';
import type { PretrainedGmf, Sampler, SamplerContext } from '../../../sampling/types.js';
import { UniformSampler } from '../../../sampling/uniform.js';
import { exposedNotInteracted } from '../../../train/exposure-data.js';
import { withoutPairs } from '../../../train/impression-data.js';
import { warmStart, type WarmStartReport } from '../../../train/checkpoint.js';
import { makeLoss } from '../../../train/losses.js';
import { createModel, modelEntry } from '../../../train/models/registry.js';
import type { Model } from '../../../train/models/types.js';
import { Adagrad } from '../../../train/optim/adagrad.js';
import { Adam } from '../../../train/optim/adam.js';
import { mergeValidation, type SplitData } from '../../../train/split-data.js';
import { trainModel, type EpochRecord, type TrainResult } from '../../../train/trainer.js';
import type { TrainOptions } from '../options.js';
import type { RunData } from './load-data.js';

export interface PretrainRecord {
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly seconds: number;
  readonly bestValidation: Record<string, number> | null;
}

export interface RegionSizes {
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly empty: number;
}

export interface Fitted {
  readonly model: Model;
  readonly sampler: Sampler;
  /** The selection fit's result (its epochs, best epoch, validation). */
  readonly result: TrainResult;
  readonly pretrain: PretrainRecord | null;
  readonly refit: { readonly epochs: number; readonly seconds: number } | null;
  readonly regionSizes: RegionSizes | null;
  /** --warm-start: what came from the served run's checkpoint. */
  readonly warmStart: (WarmStartReport & { readonly fromRun: string; readonly checkpoint: string }) | null;
  readonly seconds: number;
}

export interface FitHooks {
  readonly print: (line: string) => void;
  /** budget: the epochs this phase may train (fixed, or early stopping's cap). */
  readonly onEpoch: (phase: 'pre-train' | 'train' | 'refit', epoch: EpochRecord, budget: number) => void;
  /** Asked after each epoch of the selection fit: stop (Ctrl-C) and keep the best so far. */
  readonly shouldStop: () => boolean;
}

export async function fitModel(run: RunData, options: TrainOptions, hooks: FitHooks): Promise<Fitted> {
  const began = Date.now();
  const first = await fitOnce(run, run.split, options, hooks, { epochs: options.epochs, validate: true, pretrainEpochs: options.pretrainEpochs, phase: 'train' });
  let { model, sampler } = first;
  const { result } = first;
  // Refit: the epoch count was chosen on a validation split carved out of train;
  // train again from the same seed on train + validation for that many epochs.
  let refit: Fitted['refit'] = null;
  if (options.refit && result.interrupted) hooks.print('interrupted: no refit, the test below is of the model selected so far');
  if (options.refit && !result.interrupted && run.split.validation.source === 'carved' && options.epochs === undefined) {
    const refitBegan = Date.now();
    hooks.print(`refit on train + validation for ${result.bestEpoch} epochs`);
    model.dispose();
    sampler.dispose?.();
    ({ model, sampler } = await fitOnce(run, mergeValidation(run.split), options, hooks, {
      epochs: result.bestEpoch,
      validate: false,
      pretrainEpochs: first.pretrain?.bestEpoch,
      phase: 'refit',
    }));
    refit = { epochs: result.bestEpoch, seconds: (Date.now() - refitBegan) / 1000 };
  }
  const warm = run.warmStart && first.warmStart ? { fromRun: run.warmStart.runId, checkpoint: run.warmStart.file, ...first.warmStart } : null;
  return { model, sampler, result, pretrain: first.pretrain, refit, regionSizes: first.regionSizes, warmStart: warm, seconds: (Date.now() - began) / 1000 };
}

interface FitPlan {
  readonly epochs: number | undefined;
  readonly validate: boolean;
  readonly pretrainEpochs: number | undefined;
  readonly phase: 'train' | 'refit';
}

async function fitOnce(run: RunData, data: SplitData, options: TrainOptions, hooks: FitHooks, plan: FitPlan) {
  const samplerInfo = samplerEntry(options.sampler);
  const modelInfo = modelEntry(options.model);
  const model = createModel(
    options.model,
    { users: data.numUsers, items: data.numItems, dim: options.dim, l2: options.l2, seed: options.seed },
    { train: data.train, ...(run.itemKg ? { itemKg: run.itemKg } : {}), options: options.modelOptions, batchSize: options.batchSize },
  );
  let warm: WarmStartReport | undefined;
  if (run.warmStart) {
    warm = warmStart(model, run.warmStart.checkpoint, run.data.users.ids, run.data.items.ids);
    hooks.print(
      `warm start: ${warm.users.known} known users and ${warm.items.known} known items from the checkpoint, ${warm.users.new} new users and ${warm.items.new} new items initialised fresh` +
        `${warm.fresh.length > 0 ? `; tables initialised fresh: ${warm.fresh.join(', ')}` : ''}`,
    );
  }
  const validate = plan.validate ? validation(run, data, model, options) : undefined;
  const config = (epochs: number | undefined) => ({
    ...(epochs === undefined ? {} : { epochs }),
    maxEpochs: options.maxEpochs,
    batchSize: options.batchSize,
    negatives: options.negatives,
    evalEvery: options.evalEvery,
    patience: options.patience,
    selectMetric: run.selectMetric,
    seed: options.seed,
  });
  // RNS (Algorithm 1's input), KGPolicy: the recommender is pre-trained by BPR and the sampler starts from it.
  let pretrained: PretrainedGmf | undefined;
  let pretrain: PretrainRecord | null = null;
  if (samplerInfo.pretrain) {
    const pretrainBegan = Date.now();
    hooks.print(`pre-training ${options.model} with BPR and ${options.pretrainSampler} negatives${plan.pretrainEpochs === undefined ? ' (early stopping on validation)' : ` for ${plan.pretrainEpochs} epochs`}`);
    const ctx = { train: data.train, numItems: data.numItems, itemCounts: data.itemCounts, rng: new Rng(options.seed * 7919 + 2) };
    const warm = await trainModel({
      model,
      sampler: pretrainSampler(options.pretrainSampler, ctx),
      optimizer: new Adam({ learningRate: options.learningRate }),
      loss: makeLoss({ name: 'bpr' }),
      data,
      config: config(plan.pretrainEpochs),
      ...(validate && plan.pretrainEpochs === undefined ? { validate } : {}),
      onEpoch: (e) => hooks.onEpoch('pre-train', e, plan.pretrainEpochs ?? options.maxEpochs),
    });
    pretrained = pretrainedGmf(model);
    // With a fixed number of epochs nothing was validated: validate the warm start once, as the reference the sampler must beat.
    const bestValidation = warm.bestValidation ?? (validate ? (await validate()).metrics : null);
    pretrain = { epochs: warm.epochs.length, bestEpoch: warm.bestEpoch, seconds: (Date.now() - pretrainBegan) / 1000, bestValidation };
    hooks.print(`pre-trained: epoch ${warm.bestEpoch} kept of ${warm.epochs.length}, ${pretrain.seconds.toFixed(1)}s, valid ${run.selectMetric} ${(bestValidation?.[run.selectMetric] ?? Number.NaN).toFixed(4)}`);
  }
  // The region filter subtracts this fit's own training items (refit: train + validation).
  const region = run.regions && options.region !== 'global' ? new RegionFilter(options.region, run.regions.sets, data.train) : undefined;
  let regionSizes: RegionSizes | null = null;
  if (region) {
    regionSizes = region.sizeStats();
    hooks.print(`region ${region.name} (khop ${region.khop}): candidates per user median ${regionSizes.median}, p90 ${regionSizes.p90}, min ${regionSizes.min}; ${regionSizes.empty} users with none (padded from the global pool)`);
  }
  const exposures = trainingExposures(run, data);
  if (exposures) {
    let users = 0;
    for (let u = 0; u < exposures.rows; u += 1) if (exposures.indptr[u + 1]! > exposures.indptr[u]!) users += 1;
    hooks.print(
      exposures.indices.length > 0
        ? `exposed-not-interacted: ${exposures.indices.length} pairs, ${users} of ${exposures.rows} users have some`
        : `no exposure records in training: ${options.sampler} runs without its exposure part`,
    );
  }
  const kg = run.kgAdjacency;
  const sampler = samplerInfo.create(
    {
      train: data.train,
      numItems: data.numItems,
      itemCounts: data.itemCounts,
      rng: new Rng(options.seed * 7919 + 1),
      ...(region ? { region } : {}),
      ...(exposures ? { exposures } : {}),
      ...(pretrained ? { pretrained } : {}),
      ...(kg ? { knowledgeGraph: { from: kg.from, to: kg.to, entities: kg.entities.ids.length } } : {}),
    },
    options.samplerOptions,
  );
  const result = await trainModel({
    model,
    sampler,
    optimizer: modelInfo.defaults.optimizer === 'adagrad' ? new Adagrad(options.learningRate) : new Adam({ learningRate: options.learningRate }),
    loss: makeLoss({ name: options.loss, ...(options.softFactor === undefined ? {} : { softFactor: options.softFactor }), ...(options.margin === undefined ? {} : { margin: options.margin }) }),
    data,
    config: config(plan.epochs),
    ...(validate ? { validate, shouldStop: hooks.shouldStop } : {}),
    // The pre-trained model is a candidate too: a learned sampler that never beats it does not get served.
    ...(validate && pretrain?.bestValidation ? { startingPoint: { metrics: pretrain.bestValidation } } : {}),
    onEpoch: (e) => hooks.onEpoch(plan.phase, e, plan.epochs ?? options.maxEpochs),
  });
  if (pretrain && validate && result.bestEpoch === 0) {
    hooks.print(
      `${options.sampler} never beat its warm start (valid ${run.selectMetric} ${(pretrain.bestValidation?.[run.selectMetric] ?? Number.NaN).toFixed(4)}): the pre-trained model is kept, tested and served`,
    );
  }
  return { model, sampler, result, pretrain, regionSizes, warmStart: warm };
}

/** Full ranking on validation (plus the impression protocols where the dataset has them). */
function validation(run: RunData, data: SplitData, model: Model, options: TrainOptions) {
  return async () => {
    const ranking = await evaluateFullRanking({ embeddings: model.finalEmbeddings(), exclude: [data.train], truth: data.valid, ks: options.ks });
    if (!run.held) return ranking;
    const impressions = evaluateImpressions(model.finalEmbeddings(), run.held.valid, run.held.validLists);
    return { metrics: { ...ranking.metrics, ...impressions.metrics }, seconds: ranking.seconds + impressions.seconds };
  };
}

/** Exposed-not-interacted pairs of this fit; pairs shown in held-out impressions never reach training. */
function trainingExposures(run: RunData, data: SplitData) {
  if (!run.exposures) return undefined;
  const exposed = exposedNotInteracted(run.exposures, data.train);
  return run.held ? withoutPairs(exposed, run.held.pairs).csr : exposed;
}

function pretrainSampler(name: 'uniform' | 'dns', ctx: SamplerContext): Sampler {
  return name === 'dns' ? new DnsSampler(ctx, 16) : new UniformSampler(ctx);
}

/** The recommender's tables as the GMF a sampler starts from (MF has no h: ones). */
function pretrainedGmf(model: Model): PretrainedGmf {
  const byName = new Map(model.tables().map((t) => [t.name, t.data]));
  const users = byName.get('users');
  const items = byName.get('items');
  if (!users || !items) throw new Error(`model ${model.name} has no users/items tables to start a sampler from`);
  return { dim: model.dim, users: users.slice(), items: items.slice(), h: byName.get('h')?.slice() ?? new Float32Array(model.dim).fill(1) };
}
