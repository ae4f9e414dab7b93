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
  /** Whether it reads exposure records (the trainer loads them from Neo4j). */
  readonly usesExposures?: boolean;
  /** Whether it reads the model's scores (costs a scoring pass per batch). */
  readonly dynamic: boolean;
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
});

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
