/**
 * Every sampler, by its lower-case name: a description, its options (declared
 * once, with schema, default and doc), the loss and model it trains with unless
 * the user picks others, what it needs of the data and the model, and a factory.
 */
import { option, OptionError, resolveOptions, type OptionSpecs, type OptionValue, type OptionValues } from '../base/options.js';
import { KgnegError } from '../graph/errors.js';
import { DnsSampler } from './dns.js';
import { PopularitySampler } from './popularity.js';
import { RecnsSampler } from './recns.js';
import type { Sampler, SamplerContext } from './types.js';
import { UniformSampler } from './uniform.js';
import { ExposedOnlySampler, ExposureWeightedSampler } from './exposure-negatives.js';
import { RnsSampler } from './rns/rns-sampler.js';
import { KgPolicySampler } from './kgpolicy/kgpolicy-sampler.js';

export type SamplerOptions = Readonly<Record<string, OptionValue>>;

/** What a model must offer a sampler (see ModelEntry.capabilities). */
export type ModelCapability = 'pairFeatures';

export interface SamplerEntry<S extends OptionSpecs = OptionSpecs> {
  readonly description: string;
  /** Its own options, declared once: flags, --help, config validation and docs come from here. */
  readonly options: S;
  /** The loss this sampler's method prescribes (soft-bpr with its soft factor for SDNS); the trainer's default otherwise. */
  readonly loss?: { readonly name: string; readonly softFactor?: number };
  /** Negatives per positive (k) the method prescribes, unless the user sets --negatives. */
  readonly negatives?: number;
  /** The encoder the method's paper uses, unless the user sets --model. */
  readonly model?: string;
  /** What the model must offer: rns's MMD reward reads GMF/MF interaction features. */
  readonly needsModel?: readonly ModelCapability[];
  /** The region its paper samples from, unless the user sets --region. */
  readonly region?: 'intermediate' | 'distant' | 'global';
  /** False for samplers whose draws from exposures ignore regions (rns*, bpr-en, ebpr): --region is refused. */
  readonly regions?: boolean;
  /** Whether it walks the KG (the trainer loads the KG adjacency from Neo4j; a dataset without triples is refused). */
  readonly usesKnowledgeGraph?: boolean;
  /** Whether it reads exposure records (the trainer loads them from Neo4j). */
  readonly usesExposures?: boolean;
  /** It is defined by exposures: a dataset without any is refused before training (rns*, bpr-en, ebpr). */
  readonly needsExposures?: boolean;
  /** Pairs per batch the method prescribes, unless the user sets --batch-size (RNS: 1024). */
  readonly batchSize?: number;
  /** The recommender is pre-trained with BPR and uniform negatives first, and the sampler gets its parameters. */
  readonly pretrain?: boolean;
  /** Whether it reads the model's scores (costs a scoring pass per batch). */
  readonly dynamic: boolean;
  /** It runs a tfjs network of its own and reads it back synchronously: not on webgpu (kgpolicy, rns*). */
  readonly readsTensorsSync?: boolean;
  create(ctx: SamplerContext, options: OptionValues<S>): Sampler;
}

const POOL = option.int('candidate pool H, the hardest by the current model is the negative', 16, { min: 1 });
const SAMPLER_LR = option.number('Adam learning rate of the sampler', 1e-3, { above: 0 });

/** Keeps each entry's option types for its factory, then erases them for the table. */
function sampler<S extends OptionSpecs>(entry: SamplerEntry<S>): SamplerEntry {
  return entry as unknown as SamplerEntry;
}

export const SAMPLERS: Readonly<Record<string, SamplerEntry>> = Object.freeze({
  uniform: sampler({
    description: 'uniform over the user\'s unobserved items',
    options: {},
    dynamic: false,
    create: (ctx) => new UniformSampler(ctx),
  }),
  popularity: sampler({
    description: 'proportional to training count^alpha',
    options: { alpha: option.number('exponent of the item\'s training count', 0.75, { min: 0 }) },
    dynamic: false,
    create: (ctx, o) => new PopularitySampler(ctx, o.alpha),
  }),
  dns: sampler({
    description: 'hardest of a uniform pool of H by the current model (DNS)',
    options: { pool: POOL },
    dynamic: true,
    create: (ctx, o) => new DnsSampler(ctx, o.pool),
  }),
  sdns: sampler({
    description: 'DNS with the soft BPR loss ln sigma((1-alpha)(y_ui - y_uj)) (SDNS eq. 10)',
    // softFactor = 1 - alpha (the loss's --soft-factor). The paper keeps it below 0.3 and tunes it in
    // 0.05-0.4; a validation sweep (npm run bench -- samplers, lastfm-kgcn, MF, seed 1) ranked
    // 0.05 > 0.1 > 0.2 > 0.3 > 0.4 (valid recall@20 0.3169, 0.3115, 0.3098, 0.3081, 0.3055), so 0.05.
    options: { pool: POOL },
    loss: { name: 'soft-bpr', softFactor: 0.05 },
    dynamic: true,
    create: (ctx, o) => new DnsSampler(ctx, o.pool, 'sdns'),
  }),
  none: sampler({
    description: 'no negatives: for models trained on the whole data (jnskr)',
    options: {},
    dynamic: false,
    create: () => ({
      name: 'none',
      sample: () => {
        throw new Error('the none sampler samples nothing: only non-sampling models use it');
      },
    }),
  }),
  recns: sampler({
    description: 'RecNS: positive-assisted sampling from the region (eq. 7), merged with an exposed negative (eqs. 8-11)',
    // M = 20 candidates and k = 15 negatives as the paper; switches for the ablations
    // (positiveAssist off: the hardest candidates; exposure off: RecNS-O) and the code's two-stage merge.
    options: {
      candidates: option.int('candidates M drawn from the region per negative', 20, { min: 1 }),
      positiveAssist: option.boolean('positive-assisted choice (eq. 7); off: the hardest candidate', true),
      exposure: option.boolean('merge with an exposed negative (eqs. 8-11); off: RecNS-O', true),
      codeMerge: option.boolean('the official code\'s two-stage merge instead of the paper\'s', false),
    },
    loss: { name: 'hinge' },
    negatives: 15,
    model: 'lightgcn',
    region: 'intermediate',
    usesExposures: true,
    dynamic: true,
    create: (ctx, o) => new RecnsSampler(ctx, o),
  }),
  'bpr-en': sampler({
    description: 'BPR-EN: negatives only from the user\'s exposed-but-not-clicked items (uniform for users without any)',
    options: {},
    model: 'gmf',
    batchSize: 1024,
    usesExposures: true,
    needsExposures: true,
    regions: false,
    dynamic: false,
    create: (ctx) => new ExposedOnlySampler(ctx),
  }),
  ebpr: sampler({
    description: 'EBPR-style: uniform over non-interacted items, exposed-not-clicked ones weighted by weight',
    // weight 100: on mind-small-5k an exposed user's ~40 exposed items then draw ~15% of the negatives.
    options: { weight: option.number('an exposed item weighs as many non-exposed ones', 100, { above: 0 }) },
    model: 'gmf',
    batchSize: 1024,
    usesExposures: true,
    needsExposures: true,
    regions: false,
    dynamic: false,
    create: (ctx, o) => new ExposureWeightedSampler(ctx, o.weight),
  }),
  ...rnsEntries(),
  kgpolicy: sampler({
    description: 'KGPolicy: a policy network walks item -> e\' -> item over the KG and the interactions, REINFORCE (WWW\'20)',
    // n1 64 + 64 random items, n2 32, T 2, d 64, two GraphSAGE layers, batch 1024: the paper and the code;
    // gamma 0.99 is the code's (unused there); sampler Adam 1e-3 from the paper's grid.
    options: {
      n1: option.int('neighbours kept per node before pruning (n1)', 64, { min: 1 }),
      randomItems: option.int('random items added to each neighbour row', 64, { min: 0 }),
      n2: option.int('neighbours kept after pruning (n2)', 32, { min: 1 }),
      steps: option.int('exploration steps T per walk', 2, { min: 1 }),
      gamma: option.number('reward discount', 0.99, { min: 0, max: 1 }),
      hop1Argmax: option.boolean('first hop by argmax (the code) instead of sampling', false),
      recommenderPick: option.boolean('the recommender picks among the walk\'s ends (the code)', false),
      viaUsers: option.boolean('walks may pass through users (off: KG entities only)', false),
      baseline: option.boolean('moving-average reward baseline (eq. 16)', true),
      refreshEvery: option.int('epochs per neighbour draw', 1, { min: 1 }),
      policyEvery: option.int('recommender batches per policy step', 1, { min: 1 }),
      policyDim: option.int('policy network embedding size', 64, { min: 1 }),
      layers: option.int('GraphSAGE layers of the graph module', 2, { min: 1 }),
      samplerLr: SAMPLER_LR,
    },
    model: 'mf',
    batchSize: 1024,
    usesKnowledgeGraph: true,
    regions: false,
    pretrain: true,
    dynamic: true,
    readsTensorsSync: true,
    create: (ctx, o) =>
      new KgPolicySampler(ctx, {
        n1: o.n1,
        randomItems: o.randomItems,
        n2: o.n2,
        steps: o.steps,
        gamma: o.gamma,
        hop1Argmax: o.hop1Argmax,
        recommenderPick: o.recommenderPick,
        viaUsers: o.viaUsers,
        baseline: o.baseline,
        refreshEvery: o.refreshEvery,
        policyEvery: o.policyEvery,
        dim: o.policyDim,
        layers: o.layers,
        learningRate: o.samplerLr,
      }),
  }),
});

/**
 * RNS and its two ablations share everything but the reward: alpha 2.5 and
 * beta 0.75 are the paper's Zhihu setting (Table 3), beta 0.9 its RNS-ES one;
 * pool 30 with one exposed slot, bandwidths 19..23 and S's Adam 1e-3 / L2 1e-5
 * are the official code's sh/rns.sh.
 */
function rnsEntries(): Record<string, SamplerEntry> {
  const common = {
    candidates: option.int('candidate pool N_s per negative', 30, { min: 1 }),
    exposedInPool: option.boolean('one pool slot is an exposed item (the code); off: the paper\'s uniform pool', true),
    sigma: option.number('MMD bandwidth centre (0: scale-free kernels; S > 0: the code\'s S-2..S+2, e.g. 21)', 0, { min: 0 }),
    mmdBlock: option.int('rows per MMD block (0: the whole batch, as the code)', 256, { min: 0 }),
    baseline: option.boolean('REINFORCE with a mean-reward baseline', false),
    samplerLr: SAMPLER_LR,
    samplerL2: option.number('L2 of the sampler GMF', 1e-5, { min: 0 }),
    temperature: option.number('softmax temperature of the sampler', 1, { above: 0 }),
  };
  const beta = (value: number) => option.number('weight of MMD against exposure overlap in the exposure reward', value, { min: 0, max: 1 });
  const alpha = (value: number) => option.number('weight of the exposure reward against the adversarial one', value, { min: 0 });
  const entry = <S extends OptionSpecs>(description: string, options: S, adversarial: boolean, name: string) =>
    sampler({
      description,
      options: { ...common, ...options },
      model: 'gmf',
      needsModel: ['pairFeatures'],
      batchSize: 1024,
      usesExposures: true,
      needsExposures: true,
      regions: false,
      pretrain: true,
      dynamic: true,
      readsTensorsSync: true,
      create: (ctx, values) => {
        const o = values as unknown as Record<string, OptionValue>;
        return new RnsSampler(
          ctx,
          {
            candidates: o['candidates'] as number,
            poolRule: o['exposedInPool'] === false ? 'paper' : 'code',
            adversarial,
            alpha: (o['alpha'] as number | undefined) ?? 1,
            beta: (o['beta'] as number | undefined) ?? 0,
            sigma: o['sigma'] as number,
            mmdBlock: o['mmdBlock'] as number,
            baseline: o['baseline'] === true,
            learningRate: o['samplerLr'] as number,
            l2: o['samplerL2'] as number,
            temperature: o['temperature'] as number,
          },
          name,
        );
      },
    });
  return {
    rns: entry('RNS: learned GMF sampler over a pool, rewards adversarial + exposure overlap + MMD (eq. 7), REINFORCE', { alpha: alpha(2.5), beta: beta(0.75) }, true, 'rns'),
    // alpha 0: the exposure reward is off, so beta has nothing to weigh.
    'rns-as': entry('RNS-AS: RNS with the adversarial reward only (alpha 0)', { alpha: option.number('fixed at 0: adversarial reward only', 0, { min: 0, max: 0 }) }, true, 'rns-as'),
    'rns-es': entry('RNS-ES: RNS with the exposure-matching reward only ((1 - beta) overlap + beta MMD)', { beta: beta(0.9) }, false, 'rns-es'),
  };
}

export function samplerEntry(name: string): SamplerEntry {
  const entry = SAMPLERS[name];
  if (!entry) {
    throw new KgnegError(`unknown sampler '${name}'`, { hint: `known samplers: ${Object.keys(SAMPLERS).join(', ')}`, exitCode: 2 });
  }
  return entry;
}

/** Defaults overlaid with the user's values, each checked against its declaration; unknown names refused. */
export function samplerOptions(name: string, given: Readonly<Record<string, unknown>>): SamplerOptions {
  const entry = samplerEntry(name);
  try {
    return resolveOptions(`sampler '${name}'`, entry.options, given) as SamplerOptions;
  } catch (error) {
    if (error instanceof OptionError) throw new KgnegError(error.message, { ...(error.hint ? { hint: error.hint } : {}), exitCode: 2 });
    throw error;
  }
}

/** An entry's defaults (for records and benches). */
export function samplerDefaults(name: string): SamplerOptions {
  return samplerOptions(name, {});
}
