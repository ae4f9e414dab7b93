/**
 * Every sampler, by its lower-case name: a description, its options with
 * defaults, the loss it trains with unless the user picks one, and a factory.
 */
import { KgnegError } from '../graph/errors.js';
import { DnsSampler } from './dns.js';
import { PopularitySampler } from './popularity.js';
import { RecnsSampler } from './recns.js';
import type { Sampler, SamplerContext } from './types.js';
import { UniformSampler } from './uniform.js';
import { ExposedOnlySampler, ExposureWeightedSampler } from './exposure-negatives.js';
import { RnsSampler } from './rns/rns-sampler.js';
import { KgPolicySampler } from './kgpolicy/kgpolicy-sampler.js';

export type SamplerOptions = Readonly<Record<string, number>>;

export interface SamplerEntry {
  readonly description: string;
  readonly defaults: SamplerOptions;
  /** The loss this sampler's method prescribes ('soft-bpr' for SDNS); the trainer's default otherwise. */
  readonly loss?: { readonly name: 'bpr' | 'soft-bpr' | 'hinge' | 'hinge-code'; readonly softFactorOption?: string };
  /** Negatives per positive (k) the method prescribes, unless the user sets --negatives. */
  readonly negatives?: number;
  /** The encoder the method's paper uses, unless the user sets --model. */
  readonly model?: string;
  /** The region its paper samples from, unless the user sets --region. */
  readonly region?: 'intermediate' | 'distant' | 'global';
  /** False for samplers whose draws from exposures ignore regions (rns*, bpr-en, ebpr): --region is refused. */
  readonly regions?: boolean;
  /** Whether it walks the KG (the trainer loads the KG adjacency from Neo4j). */
  readonly usesKnowledgeGraph?: boolean;
  /** Whether it reads exposure records (the trainer loads them from Neo4j). */
  readonly usesExposures?: boolean;
  /** Pairs per batch the method prescribes, unless the user sets --batch-size (RNS: 1024). */
  readonly batchSize?: number;
  /** The recommender is pre-trained with BPR and uniform negatives first, and the sampler gets its parameters. */
  readonly pretrain?: boolean;
  /** Whether it reads the model's scores (costs a scoring pass per batch). */
  readonly dynamic: boolean;
  /** It runs a tfjs network of its own and reads it back synchronously: not on webgpu (kgpolicy, rns*). */
  readonly readsTensorsSync?: boolean;
  create(ctx: SamplerContext, options: SamplerOptions): Sampler;
}

export const SAMPLERS: Readonly<Record<string, SamplerEntry>> = Object.freeze({
  uniform: {
    description: 'uniform over the user\'s unobserved items',
    defaults: {},
    dynamic: false,
    create: (ctx) => new UniformSampler(ctx),
  },
  popularity: {
    description: 'proportional to training count^alpha',
    defaults: { alpha: 0.75 },
    dynamic: false,
    create: (ctx, o) => new PopularitySampler(ctx, o['alpha']!),
  },
  dns: {
    description: 'hardest of a uniform pool of H by the current model (DNS)',
    defaults: { pool: 16 },
    dynamic: true,
    create: (ctx, o) => new DnsSampler(ctx, o['pool']!),
  },
  sdns: {
    description: 'DNS with the soft BPR loss ln sigma((1-alpha)(y_ui - y_uj)) (SDNS eq. 10)',
    // softFactor = 1 - alpha. The paper keeps it below 0.3 and tunes it in 0.05-0.4; a validation
    // sweep (npm run bench -- samplers, lastfm-kgcn, MF, seed 1) ranked 0.05 > 0.1 > 0.2 > 0.3 > 0.4
    // (valid recall@20 0.3169, 0.3115, 0.3098, 0.3081, 0.3055), so 0.05 is the default.
    defaults: { pool: 16, softFactor: 0.05 },
    loss: { name: 'soft-bpr', softFactorOption: 'softFactor' },
    dynamic: true,
    create: (ctx, o) => new DnsSampler(ctx, o['pool']!, 'sdns'),
  },
  none: {
    description: 'no negatives: for models trained on the whole data (jnskr)',
    defaults: {},
    dynamic: false,
    create: () => ({
      name: 'none',
      sample: () => {
        throw new Error('the none sampler samples nothing: only non-sampling models use it');
      },
    }),
  },
  recns: {
    description: 'RecNS: positive-assisted sampling from the region (eq. 7), merged with an exposed negative (eqs. 8-11)',
    // M = 20 candidates and k = 15 negatives as the paper; 1/0 switches for the ablations
    // (positiveAssist 0: the hardest candidates; exposure 0: RecNS-O) and the code's two-stage merge.
    defaults: { candidates: 20, positiveAssist: 1, exposure: 1, codeMerge: 0 },
    loss: { name: 'hinge' },
    negatives: 15,
    model: 'lightgcn',
    region: 'intermediate',
    usesExposures: true,
    dynamic: true,
    create: (ctx, o) =>
      new RecnsSampler(ctx, { candidates: o['candidates']!, positiveAssist: o['positiveAssist'] !== 0, exposure: o['exposure'] !== 0, codeMerge: o['codeMerge'] === 1 }),
  },
  'bpr-en': {
    description: 'BPR-EN: negatives only from the user\'s exposed-but-not-clicked items (uniform for users without any)',
    defaults: {},
    model: 'gmf',
    batchSize: 1024,
    usesExposures: true,
    regions: false,
    dynamic: false,
    create: (ctx) => new ExposedOnlySampler(ctx),
  },
  ebpr: {
    description: 'EBPR-style: uniform over non-interacted items, exposed-not-clicked ones weighted by weight',
    // weight 100: on mind-small-5k an exposed user's ~40 exposed items then draw ~15% of the negatives.
    defaults: { weight: 100 },
    model: 'gmf',
    batchSize: 1024,
    usesExposures: true,
    regions: false,
    dynamic: false,
    create: (ctx, o) => new ExposureWeightedSampler(ctx, o['weight']!),
  },
  ...rnsEntries(),
  kgpolicy: {
    description: 'KGPolicy: a policy network walks item -> e\' -> item over the KG and the interactions, REINFORCE (WWW\'20)',
    // n1 64 + 64 random items, n2 32, T 2, d 64, two GraphSAGE layers, batch 1024: the paper and the code;
    // gamma 0.99 is the code's (unused there); sampler Adam 1e-3 from the paper's grid.
    defaults: { n1: 64, randomItems: 64, n2: 32, steps: 2, gamma: 0.99, hop1Argmax: 0, recommenderPick: 0, viaUsers: 0, baseline: 1, refreshEvery: 1, policyEvery: 1, policyDim: 64, layers: 2, samplerLr: 1e-3 },
    model: 'mf',
    batchSize: 1024,
    usesKnowledgeGraph: true,
    regions: false,
    pretrain: true,
    dynamic: true,
    readsTensorsSync: true,
    create: (ctx, o) =>
      new KgPolicySampler(ctx, {
        n1: o['n1']!,
        randomItems: o['randomItems']!,
        n2: o['n2']!,
        steps: o['steps']!,
        gamma: o['gamma']!,
        hop1Argmax: o['hop1Argmax'] === 1,
        recommenderPick: o['recommenderPick'] === 1,
        viaUsers: o['viaUsers'] !== 0,
        baseline: o['baseline'] === 1,
        refreshEvery: Math.max(1, o['refreshEvery']!),
        policyEvery: Math.max(1, o['policyEvery']!),
        dim: o['policyDim']!,
        layers: o['layers']!,
        learningRate: o['samplerLr']!,
      }),
  },
});

/**
 * RNS and its two ablations share everything but the reward: alpha 2.5 and
 * beta 0.75 are the paper's Zhihu setting (Table 3), beta 0.9 its RNS-ES one;
 * pool 30 with one exposed slot, bandwidths 19..23 and S's Adam 1e-3 / L2 1e-5
 * are the official code's sh/rns.sh.
 */
function rnsEntries(): Record<string, SamplerEntry> {
  const common = { candidates: 30, exposedInPool: 1, sigma: 0, mmdBlock: 256, baseline: 0, samplerLr: 1e-3, samplerL2: 1e-5, temperature: 1 };
  const entry = (description: string, defaults: Record<string, number>, adversarial: boolean, name: string): SamplerEntry => ({
    description,
    defaults: { ...common, ...defaults },
    model: 'gmf',
    batchSize: 1024,
    usesExposures: true,
    regions: false,
    pretrain: true,
    dynamic: true,
    readsTensorsSync: true,
    create: (ctx, o) =>
      new RnsSampler(
        ctx,
        {
          candidates: o['candidates']!,
          poolRule: o['exposedInPool'] === 0 ? 'paper' : 'code',
          adversarial,
          alpha: o['alpha'] ?? 1,
          beta: o['beta']!,
          sigma: o['sigma']!,
          mmdBlock: o['mmdBlock']!,
          baseline: o['baseline'] === 1,
          learningRate: o['samplerLr']!,
          l2: o['samplerL2']!,
          temperature: o['temperature']!,
        },
        name,
      ),
  });
  return {
    rns: entry('RNS: learned GMF sampler over a pool, rewards adversarial + exposure overlap + MMD (eq. 7), REINFORCE', { alpha: 2.5, beta: 0.75 }, true, 'rns'),
    'rns-as': entry('RNS-AS: RNS with the adversarial reward only (alpha 0)', { alpha: 0, beta: 0 }, true, 'rns-as'),
    'rns-es': entry('RNS-ES: RNS with the exposure-matching reward only ((1 - beta) overlap + beta MMD)', { beta: 0.9 }, false, 'rns-es'),
  };
}

export function samplerEntry(name: string): SamplerEntry {
  const entry = SAMPLERS[name];
  if (!entry) {
    throw new KgnegError(`unknown sampler '${name}'`, { hint: `known samplers: ${Object.keys(SAMPLERS).join(', ')}`, exitCode: 2 });
  }
  return entry;
}

/** Defaults overlaid with the user's values; unknown option names are refused. */
export function samplerOptions(name: string, given: Readonly<Record<string, number>>): SamplerOptions {
  const entry = samplerEntry(name);
  for (const key of Object.keys(given)) {
    if (!(key in entry.defaults)) {
      throw new KgnegError(`sampler '${name}' has no option '${key}'`, {
        hint: `its options: ${Object.keys(entry.defaults).join(', ') || 'none'}`,
        exitCode: 2,
      });
    }
  }
  return Object.freeze({ ...entry.defaults, ...given });
}
