/**
 * `npm run train` options: defaults, then a JSON config file (--config), then
 * flags (flags win). Every option of a run ends up in its metrics.json.
 */
import { readFileSync } from 'node:fs';
import { KgnegError } from '../../graph/errors.js';
import { checkKhop } from '../../graph/regions.js';
import { REGION_NAMES, type RegionName } from '../../sampling/region.js';
import { samplerEntry, samplerOptions } from '../../sampling/registry.js';
import { BACKEND_REQUESTS, type BackendRequest } from '../../train/backend.js';
import { DEFAULT_SOFT_FACTOR, type LossName } from '../../train/losses.js';
import { modelEntry } from '../../train/models/registry.js';
import { DEFAULT_TRAINER } from '../../train/trainer.js';

export interface TrainOptions {
  readonly dataset: string;
  readonly model: string;
  readonly sampler: string;
  readonly samplerOptions: Readonly<Record<string, number>>;
  /** Model-specific settings (jnskr: attention, c0, c1, mu). */
  readonly modelOptions: Readonly<Record<string, number | string>>;
  readonly loss: LossName;
  readonly softFactor: number;
  readonly margin: number;
  readonly seed: number;
  readonly epochs?: number;
  readonly maxEpochs: number;
  readonly batchSize: number;
  readonly negatives: number;
  readonly dim: number;
  readonly l2: number;
  readonly learningRate: number;
  readonly evalEvery: number;
  readonly patience: number;
  readonly ks: readonly number[];
  /** Validation metric for early stopping; absent: imp.auc on datasets with held-out impressions, else recall@20. */
  readonly selectMetric?: string;
  /** RNS protocol: held-out lists are padded to this length. */
  readonly listLength: number;
  /** Samplers that pre-train the recommender (rns*, kgpolicy): fixed pre-training epochs; absent: early stopping on validation. */
  readonly pretrainEpochs?: number;
  /** The pre-training sampler: uniform (the papers) or dns (the KGPolicy code's checkpoint, as the issue reads it). */
  readonly warmStart: 'uniform' | 'dns';
  readonly validRatio: number;
  /** Datasets with ratings: only interactions rated at least this are positives (default: all). */
  readonly minRating?: number;
  readonly backend: BackendRequest;
  readonly out: string;
  readonly writeBack: boolean;
  /** After early stopping on a carved validation split, retrain on train + validation for the chosen epochs. */
  readonly refit: boolean;
  readonly topK: number;
  /** Rows per write-back transaction (vectors; a tenth of it in users for RECOMMENDED). */
  readonly writeBatchSize: number;
  /** Three-Region Principle: restrict every sampler's candidates (global: no restriction). */
  readonly region: RegionName;
  /** Walk length of the regions (odd). */
  readonly khop: number;
}

export const TRAIN_FLAGS = {
  config: { type: 'string' },
  dataset: { type: 'string' },
  model: { type: 'string' },
  sampler: { type: 'string' },
  loss: { type: 'string' },
  'soft-factor': { type: 'string' },
  margin: { type: 'string' },
  pool: { type: 'string' },
  candidates: { type: 'string' },
  'positive-assist': { type: 'string' },
  attention: { type: 'string' },
  c0: { type: 'string' },
  c1: { type: 'string' },
  mu: { type: 'string' },
  exposure: { type: 'string' },
  'code-merge': { type: 'string' },
  alpha: { type: 'string' },
  beta: { type: 'string' },
  weight: { type: 'string' },
  'exposed-in-pool': { type: 'string' },
  baseline: { type: 'string' },
  sigma: { type: 'string' },
  'mmd-block': { type: 'string' },
  n1: { type: 'string' },
  'random-items': { type: 'string' },
  n2: { type: 'string' },
  steps: { type: 'string' },
  gamma: { type: 'string' },
  'hop1-argmax': { type: 'string' },
  'recommender-pick': { type: 'string' },
  'via-users': { type: 'string' },
  'refresh-every': { type: 'string' },
  'policy-every': { type: 'string' },
  'policy-dim': { type: 'string' },
  layers: { type: 'string' },
  'warm-start': { type: 'string' },
  'sampler-lr': { type: 'string' },
  'sampler-l2': { type: 'string' },
  temperature: { type: 'string' },
  'select-metric': { type: 'string' },
  'list-length': { type: 'string' },
  'pretrain-epochs': { type: 'string' },
  seed: { type: 'string' },
  epochs: { type: 'string' },
  'max-epochs': { type: 'string' },
  'batch-size': { type: 'string' },
  negatives: { type: 'string' },
  dim: { type: 'string' },
  l2: { type: 'string' },
  lr: { type: 'string' },
  'eval-every': { type: 'string' },
  patience: { type: 'string' },
  ks: { type: 'string' },
  'valid-ratio': { type: 'string' },
  'min-rating': { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  'no-write-back': { type: 'boolean' },
  refit: { type: 'boolean' },
  'top-k': { type: 'string' },
  'write-batch-size': { type: 'string' },
  region: { type: 'string' },
  khop: { type: 'string' },
} as const;

export const TRAIN_USAGE = `  --dataset NAME (required; as ingested)  --model mf|gmf|lightgcn|jnskr  --sampler uniform|popularity|dns|sdns|recns (jnskr: none)
  jnskr: --attention code|summary  --c0 C (300)  --c1 C (600)  --mu M (0.01); batches of --batch-size items (256)
  --seed N (1)  --epochs N (fixed; default: early stopping on validation)  --max-epochs N (300)
  --loss bpr|soft-bpr|hinge|hinge-code  --soft-factor F (soft-bpr, SDNS: 1 - alpha)  --margin G (hinge)
  recns: --candidates M (20)  --positive-assist 1|0  --exposure 1|0  --code-merge 0|1 (defaults: --negatives 15, --model lightgcn, --region intermediate)
  rns, rns-as, rns-es (GMF, batch 1024, pre-trained with BPR + uniform first): --candidates N (30)  --exposed-in-pool 1|0 (code's pool | paper's uniform pool)
    --alpha A (2.5)  --beta B (0.75; rns-es 0.9)  --sigma S (0: scale-free kernels; S > 0: the code's bandwidths S-2..S+2, e.g. 21)  --mmd-block N (256; 0 whole batch)  --baseline 0|1  --sampler-lr R  --sampler-l2 L  --temperature T
    --pretrain-epochs N (default: early stopping)
  kgpolicy (MF, batch 1024, warm start: MF pre-trained with --warm-start uniform|dns): --n1 64 --random-items 64 --n2 32 --steps T (2)
    --gamma G (0.99)  --hop1-argmax 0|1 (the code: 1)  --recommender-pick 0|1 (the code: 1)  --via-users 0|1 (0: KG entities only)  --baseline 1|0  --refresh-every E (epochs per neighbour draw, 1)
    --policy-every N (batches per policy step, 1)  --policy-dim D (64)  --layers L (2)  --sampler-lr R (1e-3)
  bpr-en, ebpr: --weight W (ebpr: an exposed item weighs W non-exposed ones, 100)
  --pool H (dns, sdns)  --alpha A (popularity)  --negatives K  --batch-size N  --dim D  --l2 L  --lr R
  --eval-every N  --patience N  --select-metric M (recall@20; imp.auc with held-out impressions)  --list-length L (50)  --ks 10,20,50  --valid-ratio F  --min-rating R (rated datasets: positives are rating >= R; default all)
  --backend auto|tensorflow|wasm|cpu|webgpu (webgpu: experimental)
  --region global|intermediate|distant (candidates of any sampler; Three-Region Principle)  --khop 1|3|5|7 (3)
  --refit (carved validation: retrain on train + validation for the selected epochs)
  --out DIR  --no-write-back  --top-k K (RECOMMENDED per user, 20)  --write-batch-size N (rows per write-back transaction, 2000)
  --config FILE.json (same keys, camelCase)`;

type Raw = Record<string, unknown>;

export function resolveTrainOptions(flags: Raw): TrainOptions {
  const file: Raw = typeof flags['config'] === 'string' ? readConfig(flags['config']) : {};
  const pick = (flag: string, key: string): unknown => flags[flag] ?? file[key];
  const dataset = str(pick('dataset', 'dataset'));
  if (!dataset) throw new KgnegError('train needs --dataset NAME (a dataset ingested with npm run migrate)', { exitCode: 2 });
  const samplerGiven = str(pick('sampler', 'sampler'));
  const modelGiven = str(pick('model', 'model'));
  // Non-sampling models (JNSKR) take no sampler; sampling models need one.
  const nonSampling = modelGiven !== undefined && modelEntry(modelGiven).nonSampling === true;
  if (nonSampling && samplerGiven !== undefined && samplerGiven !== 'none') {
    throw new KgnegError(`--model ${modelGiven} trains without negative sampling: drop --sampler ${samplerGiven}`, { exitCode: 2 });
  }
  const sampler = nonSampling ? 'none' : (samplerGiven ?? 'uniform');
  const entry = samplerEntry(sampler);
  const model = modelGiven ?? entry.model ?? 'mf';
  if (sampler === 'none' && !modelEntry(model).nonSampling) {
    throw new KgnegError(`--sampler none is for non-sampling models (jnskr); --model ${model} needs a sampler`, { exitCode: 2 });
  }
  const modelDefaults = modelEntry(model).defaults;
  const given: Record<string, number> = { ...((file['samplerOptions'] as Record<string, number> | undefined) ?? {}) };
  for (const [flag, key] of [['pool', 'pool'], ['alpha', 'alpha'], ['soft-factor', 'softFactor'], ['candidates', 'candidates'], ['positive-assist', 'positiveAssist'], ['exposure', 'exposure'], ['code-merge', 'codeMerge'], ['beta', 'beta'], ['weight', 'weight'], ['exposed-in-pool', 'exposedInPool'], ['baseline', 'baseline'], ['sigma', 'sigma'], ['mmd-block', 'mmdBlock'], ['n1', 'n1'], ['random-items', 'randomItems'], ['n2', 'n2'], ['steps', 'steps'], ['gamma', 'gamma'], ['hop1-argmax', 'hop1Argmax'], ['recommender-pick', 'recommenderPick'], ['via-users', 'viaUsers'], ['refresh-every', 'refreshEvery'], ['policy-every', 'policyEvery'], ['policy-dim', 'policyDim'], ['layers', 'layers'], ['sampler-lr', 'samplerLr'], ['sampler-l2', 'samplerL2'], ['temperature', 'temperature']] as const) {
    if (flags[flag] !== undefined && key in entry.defaults) given[key] = num(flag, flags[flag]);
  }
  const sOptions = samplerOptions(sampler, given);
  const loss = (str(pick('loss', 'loss')) ?? entry.loss?.name ?? 'bpr') as LossName;
  if (!['bpr', 'soft-bpr', 'hinge', 'hinge-code'].includes(loss)) throw new KgnegError(`unknown --loss '${loss}'`, { hint: 'bpr, soft-bpr, hinge or hinge-code', exitCode: 2 });
  const backend = (str(pick('backend', 'backend')) ?? 'auto') as BackendRequest;
  if (!BACKEND_REQUESTS.includes(backend)) throw new KgnegError(`unknown --backend '${backend}'`, { hint: BACKEND_REQUESTS.join(', '), exitCode: 2 });
  const seed = int('seed', pick('seed', 'seed') ?? 1);
  const softFactor = num('soft-factor', pick('soft-factor', 'softFactor') ?? sOptions['softFactor'] ?? DEFAULT_SOFT_FACTOR);
  const ks = String(pick('ks', 'ks') ?? '10,20,50').split(',').map((k) => int('ks', k.trim()));
  const epochs = pick('epochs', 'epochs');
  const pretrainEpochs = pick('pretrain-epochs', 'pretrainEpochs');
  const selectMetric = str(pick('select-metric', 'selectMetric'));
  const minRating = pick('min-rating', 'minRating');
  const region = (str(pick('region', 'region')) ?? entry.region ?? 'global') as RegionName;
  if (!REGION_NAMES.includes(region)) throw new KgnegError(`unknown --region '${region}'`, { hint: REGION_NAMES.join(', '), exitCode: 2 });
  if (region !== 'global' && entry.regions === false) {
    throw new KgnegError(`--sampler ${sampler} draws from exposures, which regions do not restrict: drop --region ${region}`, { exitCode: 2 });
  }
  const khop = int('khop', pick('khop', 'khop') ?? 3);
  checkKhop(khop);
  return Object.freeze({
    dataset,
    model,
    sampler,
    samplerOptions: sOptions,
    modelOptions: modelOptionsFrom(model, pick),
    loss,
    softFactor,
    margin: num('margin', pick('margin', 'margin') ?? 0.1),
    seed,
    ...(epochs === undefined ? {} : { epochs: int('epochs', epochs) }),
    maxEpochs: int('max-epochs', pick('max-epochs', 'maxEpochs') ?? DEFAULT_TRAINER.maxEpochs),
    batchSize: int('batch-size', pick('batch-size', 'batchSize') ?? entry.batchSize ?? modelDefaults.batchSize ?? DEFAULT_TRAINER.batchSize),
    negatives: int('negatives', pick('negatives', 'negatives') ?? entry.negatives ?? DEFAULT_TRAINER.negatives),
    dim: int('dim', pick('dim', 'dim') ?? modelDefaults.dim),
    l2: num('l2', pick('l2', 'l2') ?? modelDefaults.l2),
    learningRate: num('lr', pick('lr', 'learningRate') ?? modelDefaults.learningRate),
    evalEvery: int('eval-every', pick('eval-every', 'evalEvery') ?? DEFAULT_TRAINER.evalEvery),
    patience: int('patience', pick('patience', 'patience') ?? DEFAULT_TRAINER.patience),
    ks,
    ...(selectMetric === undefined ? {} : { selectMetric }),
    listLength: int('list-length', pick('list-length', 'listLength') ?? 50),
    ...(pretrainEpochs === undefined ? {} : { pretrainEpochs: int('pretrain-epochs', pretrainEpochs) }),
    warmStart: warmStartFrom(str(pick('warm-start', 'warmStart'))),
    validRatio: num('valid-ratio', pick('valid-ratio', 'validRatio') ?? 0.1),
    ...(minRating === undefined ? {} : { minRating: num('min-rating', minRating) }),
    backend,
    out: str(pick('out', 'out')) ?? `runs/${safe(dataset)}-${model}-${sampler}-seed${seed}`,
    writeBack: flags['no-write-back'] !== true && file['writeBack'] !== false,
    refit: flags['refit'] === true || file['refit'] === true,
    topK: int('top-k', pick('top-k', 'topK') ?? 20),
    region,
    khop,
    writeBatchSize: Math.max(1, int('write-batch-size', pick('write-batch-size', 'writeBatchSize') ?? 2_000)),
  });
}

function modelOptionsFrom(model: string, pick: (flag: string, key: string) => unknown): Record<string, number | string> {
  if (model !== 'jnskr') return {};
  const out: Record<string, number | string> = {};
  const attention = str(pick('attention', 'attention'));
  if (attention !== undefined) {
    if (attention !== 'code' && attention !== 'summary') throw new KgnegError(`unknown --attention '${attention}'`, { hint: 'code or summary', exitCode: 2 });
    out['attention'] = attention;
  }
  for (const key of ['c0', 'c1', 'mu'] as const) {
    const value = pick(key, key);
    if (value !== undefined) out[key] = num(key, value);
  }
  return out;
}

function warmStartFrom(value: string | undefined): 'uniform' | 'dns' {
  if (value === undefined || value === 'uniform' || value === 'dns') return value ?? 'uniform';
  throw new KgnegError(`unknown --warm-start '${value}'`, { hint: 'uniform or dns', exitCode: 2 });
}

function readConfig(path: string): Raw {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Raw;
  } catch (error) {
    throw new KgnegError(`cannot read config ${path}: ${(error as Error).message}`, { exitCode: 2 });
  }
}

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function num(name: string, value: unknown): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new KgnegError(`--${name} expects a number, got '${String(value)}'`, { exitCode: 2 });
  return parsed;
}

function int(name: string, value: unknown): number {
  const parsed = num(name, value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new KgnegError(`--${name} expects a non-negative integer, got '${String(value)}'`, { exitCode: 2 });
  return parsed;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}
