/**
 * Stage 6, record: the typed RunRecord behind metrics.json (and, in part, the
 * :Run node). Bump RUN_RECORD_SCHEMA when a field changes meaning or goes away.
 */
import type { benchEnvironment } from '../../bench/result.js';
import type { BackendChoice } from '../../../train/backend.js';
import type { EpochRecord } from '../../../train/trainer.js';
import type { WriteBackResult } from '../../../graph/write-back.js';
import type { TrainOptions } from '../options.js';
import type { Fitted, PretrainRecord, RegionSizes } from './fit.js';

export const RUN_RECORD_SCHEMA = 2;

export interface RunRecord {
  /** Version of this layout (2: typed record, pretrainSampler; 1: before). */
  readonly schemaVersion: typeof RUN_RECORD_SCHEMA;
  /** Every option of the run, defaults filled in: `--config` takes this object back. */
  readonly config: TrainOptions;
  readonly dataset: { readonly name: string; readonly format: string; readonly splitRule: string; readonly splitSeed: number };
  /** Where validation came from: the dataset's own split, or carved from train with the run's seed. */
  readonly validationSplit: unknown;
  readonly code: { readonly commit: string };
  readonly environment: ReturnType<typeof benchEnvironment>;
  readonly backend: BackendChoice;
  readonly sizes: { readonly users: number; readonly items: number; readonly train: number; readonly valid: number; readonly test: number };
  /** One per trained epoch of the selection fit: loss, seconds, pairs/s, gradient magnitude, false-negative rate, validation. */
  readonly epochs: readonly EpochRecord[];
  /** The epoch whose parameters were tested and written back (0: the pre-trained warm start, which no epoch beat). */
  readonly bestEpoch: number;
  /** A pre-training sampler (kgpolicy, rns*) whose epochs never beat its warm start: the warm start was served. */
  readonly keptWarmStart: boolean;
  readonly stoppedEarly: boolean;
  /** Stopped by Ctrl-C (SIGINT/SIGTERM): the best validated epoch so far was kept. */
  readonly interrupted: boolean;
  readonly refit: { readonly epochs: number; readonly seconds: number } | null;
  readonly pretrain: PretrainRecord | null;
  /** --warm-start: the run it started from, its checkpoint, and how many users and items were known to it. */
  readonly warmStart: Fitted['warmStart'];
  /** This run's parameter tables (model-*.ckpt): what a later --warm-start starts from. */
  readonly checkpoint: string;
  readonly selectMetric: string;
  readonly impressions: Record<string, unknown> | null;
  readonly bestValidation: Record<string, number> | null;
  /** The sampler's own counters (redraws, replaced positives, ...). */
  readonly samplerStats: Record<string, number>;
  readonly region:
    | { readonly name: 'global' }
    | { readonly name: string; readonly khop: number; readonly source: string; readonly seconds: number; readonly file: string; readonly candidatesPerUser: RegionSizes | null };
  readonly timings: {
    readonly loadSeconds: number;
    readonly trainSeconds: number;
    readonly testEvalSeconds: number;
    readonly writeBackSeconds?: number;
    readonly totalSeconds: number;
  };
  /** Test metrics of the kept epoch: recall@K, ndcg@K (and imp.* with held-out impressions). */
  readonly final: Record<string, number>;
  readonly writeBack?: WriteBackResult;
  readonly explanations?: { readonly rows: number; readonly viaGraph: number; readonly seconds: number };
}
