/**
 * `npm run train` options, declared once (TRAIN_OPTIONS here; each sampler's
 * and model's own in its registry entry). Values come from the defaults, then
 * a JSON config file (--config, camelCase keys), then flags (flags win). The
 * whole combination is checked before any data is read: every mistake is one
 * line and exit code 2. Every option of a run ends up in its metrics.json.
 */
import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import {
  flagName,
  fromConfig,
  fromFlag,
  helpLines,
  option,
  OptionError,
  suggestion,
  type OptionSpec,
  type OptionSpecs,
  type OptionValue,
} from '../../base/options.js';
import { KgnegError } from '../../graph/errors.js';
import { checkKhop } from '../../graph/regions.js';
import { REGION_NAMES, type RegionName } from '../../sampling/region.js';
import { SAMPLERS, samplerEntry, samplerOptions } from '../../sampling/registry.js';
import { BACKEND_REQUESTS, type BackendRequest } from '../../train/backend.js';
import { DEFAULT_SOFT_FACTOR, LOSS_NAMES, LOSSES, type LossName } from '../../train/losses.js';
import { MODELS, modelEntry, modelOptions } from '../../train/models/registry.js';
import { DEFAULT_TRAINER } from '../../train/trainer.js';

const SAMPLER_NAMES = Object.keys(SAMPLERS) as [string, ...string[]];
const MODEL_NAMES = Object.keys(MODELS) as [string, ...string[]];

/** The options of every run, whatever its model and sampler. */
export const TRAIN_OPTIONS = {
  dataset: option.string('the dataset, as ingested by npm run migrate', undefined, { meta: 'NAME', defaultDoc: 'required' }),
  model: option.enum('the recommender', MODEL_NAMES, undefined, { defaultDoc: 'the sampler\'s paper\'s, else mf' }),
  sampler: option.enum('the negative sampler (jnskr: none)', SAMPLER_NAMES, undefined, { defaultDoc: 'uniform; none for jnskr' }),
  loss: option.enum('the pairwise loss', LOSS_NAMES, undefined, { defaultDoc: 'the sampler\'s, else bpr' }),
  softFactor: option.number('soft-bpr: the factor f = 1 - alpha of SDNS eq. 10', undefined, { above: 0, max: 1 }, { defaultDoc: `the sampler's, else ${DEFAULT_SOFT_FACTOR}` }),
  margin: option.number('hinge, hinge-code: the margin gamma', 0.1, { min: 0 }),
  seed: option.int('seed of initialisation, batches, sampling and carved splits', 1, { min: 0 }),
  epochs: option.int('train exactly this many epochs', undefined, { min: 1 }, { defaultDoc: 'early stopping on validation' }),
  maxEpochs: option.int('epoch budget of early stopping', DEFAULT_TRAINER.maxEpochs, { min: 1 }),
  batchSize: option.int('pairs per batch (jnskr: items)', undefined, { min: 1 }, { defaultDoc: `the sampler's or model's, else ${DEFAULT_TRAINER.batchSize}` }),
  negatives: option.int('negatives k per positive', undefined, { min: 1 }, { defaultDoc: `the sampler's, else ${DEFAULT_TRAINER.negatives}` }),
  dim: option.int('embedding size d', undefined, { min: 1 }, { defaultDoc: 'the model\'s' }),
  l2: option.number('L2 regularisation', undefined, { min: 0 }, { defaultDoc: 'the model\'s' }),
  learningRate: option.number('learning rate', undefined, { above: 0 }, { flag: 'lr', meta: 'R', defaultDoc: 'the model\'s' }),
  evalEvery: option.int('epochs between validations', DEFAULT_TRAINER.evalEvery, { min: 1 }),
  patience: option.int('validations without a gain before stopping', DEFAULT_TRAINER.patience, { min: 1 }),
  ks: option.intList('cut-offs K of recall@K and ndcg@K', [10, 20, 50]),
  selectMetric: option.string('validation metric of early stopping (recall@K, ndcg@K, imp.auc, ...)', undefined, { meta: 'METRIC', defaultDoc: 'imp.auc with held-out impressions, else recall@20' }),
  listLength: option.int('exposure protocol: held-out user lists padded to this length', 50, { min: 1 }),
  pretrainEpochs: option.int('pre-training samplers (rns*, kgpolicy): fixed pre-training epochs', undefined, { min: 1 }, { defaultDoc: 'early stopping' }),
  pretrainSampler: option.enum('negatives of the pre-training (uniform: the papers; dns: the KGPolicy code\'s checkpoint)', ['uniform', 'dns'], 'uniform'),
  validRatio: option.number('share of each user\'s training items carved off for validation (datasets without a validation split)', 0.1, { above: 0, max: 0.5 }),
  minRating: option.number('rated datasets: positives are rating >= this', undefined, {}, { defaultDoc: 'all' }),
  backend: option.enum('TensorFlow.js backend', BACKEND_REQUESTS, 'auto'),
  region: option.enum('restrict every sampler\'s candidates to a region (Three-Region Principle)', REGION_NAMES, undefined, { defaultDoc: 'the sampler\'s, else global' }),
  khop: option.int('walk length of the regions (1, 3, 5 or 7)', 3, { min: 1, max: 7 }),
  refit: option.boolean('carved validation: retrain on train + validation for the selected epochs', false),
  warmStart: option.boolean('start known users and items from the served run\'s model (its checkpoint); new ones as in a fresh run', false),
  out: option.string('directory of metrics.json and training-curve.svg', undefined, { meta: 'DIR', defaultDoc: 'runs/<dataset>-<model>-<sampler>-seed<seed>' }),
  writeBack: option.boolean('write vectors, the run and its top-K back to Neo4j', true),
  topK: option.int('RECOMMENDED relationships per user', 20, { min: 1 }),
  wait: option.int('seconds to wait at write-back while another command writes the dataset (0: fail at once)', 0, { min: 0 }),
  writeBatchSize: option.int('rows per write-back transaction', 2_000, { min: 1 }),
} as const satisfies OptionSpecs;

export type TrainOptionKey = keyof typeof TRAIN_OPTIONS;

export interface TrainOptions {
  readonly dataset: string;
  readonly model: string;
  readonly sampler: string;
  readonly samplerOptions: Readonly<Record<string, OptionValue>>;
  readonly modelOptions: Readonly<Record<string, OptionValue>>;
  readonly loss: LossName;
  /** soft-bpr only. */
  readonly softFactor?: number;
  /** hinge, hinge-code only. */
  readonly margin?: number;
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
  readonly listLength: number;
  readonly pretrainEpochs?: number;
  readonly pretrainSampler: 'uniform' | 'dns';
  readonly validRatio: number;
  readonly minRating?: number;
  readonly backend: BackendRequest;
  readonly out: string;
  readonly writeBack: boolean;
  readonly refit: boolean;
  /** Start from the served run's checkpoint (same model and dim). */
  readonly warmStart: boolean;
  readonly topK: number;
  /** Seconds to wait for another writer of the dataset at write-back. */
  readonly wait: number;
  readonly writeBatchSize: number;
  readonly region: RegionName;
  /** With a region only. */
  readonly khop?: number;
}

/** Every option name a sampler or a model declares, with one spec per name for the flag parser. */
function ownOptionSpecs(): Map<string, OptionSpec> {
  const all = new Map<string, OptionSpec>();
  for (const entry of [...Object.values(SAMPLERS), ...Object.values(MODELS)]) {
    for (const [key, spec] of Object.entries(entry.options)) {
      const known = all.get(key);
      if (known && (known.kind === 'boolean') !== (spec.kind === 'boolean')) {
        throw new Error(`option '${key}' is a switch in one registry entry and takes a value in another: rename one`);
      }
      if (!known) all.set(key, spec);
      if (key in TRAIN_OPTIONS) throw new Error(`registry option '${key}' shadows a train option`);
    }
  }
  return all;
}

const OWN_OPTIONS = ownOptionSpecs();

/** parseArgs configuration of every train flag: switches are --x / --no-x, all others take a value. */
export const TRAIN_FLAGS: NonNullable<ParseArgsConfig['options']> = (() => {
  const flags: NonNullable<ParseArgsConfig['options']> = { config: { type: 'string' }, help: { type: 'boolean' }, quiet: { type: 'boolean' } };
  for (const [key, spec] of [...Object.entries(TRAIN_OPTIONS), ...OWN_OPTIONS]) {
    const name = flagName(key, spec);
    flags[name] = { type: spec.kind === 'boolean' ? 'boolean' : 'string' };
    if (spec.kind === 'boolean') flags[`no-${name}`] = { type: 'boolean' };
  }
  return flags;
})();

type Raw = Readonly<Record<string, unknown>>;

/** Where a value came from, for messages that name it as the user wrote it. */
interface Layers {
  readonly flags: Raw;
  readonly config: Raw;
  readonly configName: string;
}

/** From parsed command-line flags (and the config file they may name). */
export function resolveTrainOptions(flags: Raw): TrainOptions {
  const configPath = typeof flags['config'] === 'string' ? flags['config'] : undefined;
  return resolve({ flags, config: configPath ? readConfig(configPath) : {}, configName: configPath ?? 'config' });
}

/** The typed way in for code (benches, start): camelCase keys as in a config file. */
export function trainOptionsFrom(settings: Raw): TrainOptions {
  return resolve({ flags: {}, config: settings, configName: 'options' });
}

function resolve(layers: Layers): TrainOptions {
  try {
    return resolveChecked(layers);
  } catch (error) {
    if (error instanceof OptionError) throw new KgnegError(`train: ${error.message}`, { ...(error.hint ? { hint: error.hint } : {}), exitCode: 2 });
    throw error;
  }
}

function resolveChecked(layers: Layers): TrainOptions {
  const { flags, config } = layers;
  checkConfigKeys(layers);
  const value = <K extends TrainOptionKey>(key: K): unknown => {
    const spec: OptionSpec = TRAIN_OPTIONS[key];
    const raw = flagValue(flags, key, spec);
    if (raw !== undefined) return fromFlag(key, spec, raw);
    if (config[key] !== undefined) return fromConfig(`${layers.configName}.${key}`, spec, config[key]);
    return spec.default;
  };
  const dataset = value('dataset') as string | undefined;
  if (!dataset) throw new OptionError('--dataset', 'train needs --dataset NAME (a dataset ingested with npm run migrate)');
  const modelGiven = value('model') as string | undefined;
  const samplerGiven = value('sampler') as string | undefined;
  // Non-sampling models (JNSKR) take no sampler; sampling models need one.
  const nonSampling = modelGiven !== undefined && modelEntry(modelGiven).nonSampling === true;
  if (nonSampling && samplerGiven !== undefined && samplerGiven !== 'none') {
    throw new OptionError('--sampler', `--model ${modelGiven} trains without negative sampling: drop --sampler ${samplerGiven}`);
  }
  const sampler = nonSampling ? 'none' : (samplerGiven ?? 'uniform');
  const samplerInfo = samplerEntry(sampler);
  const model = modelGiven ?? samplerInfo.model ?? 'mf';
  const modelInfo = modelEntry(model);
  if (sampler === 'none' && !modelInfo.nonSampling) {
    throw new OptionError('--sampler', `--sampler none is for non-sampling models (jnskr); --model ${model} needs a sampler`);
  }
  for (const capability of samplerInfo.needsModel ?? []) {
    if (!(modelInfo.capabilities ?? []).includes(capability)) {
      const fits = Object.entries(MODELS).filter(([, m]) => (m.capabilities ?? []).includes(capability)).map(([name]) => name);
      throw new OptionError('--model', `--sampler ${sampler} needs a model with ${capability} (${fits.join(', ')}); --model ${model} has none`);
    }
  }
  const samplerValues = samplerOptions(sampler, ownValues(layers, 'sampler', sampler, samplerInfo.options, modelInfo.options));
  const modelValues = modelOptions(model, ownValues(layers, 'model', model, modelInfo.options, samplerInfo.options));
  const loss = (value('loss') as LossName | undefined) ?? ((samplerInfo.loss?.name ?? 'bpr') as LossName);
  const lossReads: readonly string[] = LOSSES[loss].options;
  for (const key of ['softFactor', 'margin'] as const) {
    if (!lossReads.includes(key) && isGiven(layers, key)) {
      throw new OptionError(`--${flagName(key, TRAIN_OPTIONS[key])}`, `--loss ${loss} has no ${key}: it applies to ${LOSS_NAMES.filter((name) => (LOSSES[name].options as readonly string[]).includes(key)).join(', ')}`);
    }
  }
  const region = (value('region') as RegionName | undefined) ?? samplerInfo.region ?? 'global';
  if (region !== 'global' && samplerInfo.regions === false) {
    throw new OptionError('--region', `--sampler ${sampler} draws from exposures, which regions do not restrict: drop --region ${region}`);
  }
  const khop = value('khop') as number;
  if (isGiven(layers, 'khop') && region === 'global') throw new OptionError('--khop', '--khop sets the walk length of a region: give --region intermediate or distant too');
  checkKhop(khop);
  const epochs = value('epochs') as number | undefined;
  const pretrainEpochs = value('pretrainEpochs') as number | undefined;
  if (pretrainEpochs !== undefined && !samplerInfo.pretrain) throw new OptionError('--pretrain-epochs', `--pretrain-epochs: --sampler ${sampler} has no pre-training (only ${preTrainers()})`);
  if (isGiven(layers, 'pretrainSampler') && !samplerInfo.pretrain) throw new OptionError('--pretrain-sampler', `--pretrain-sampler: --sampler ${sampler} has no pre-training (only ${preTrainers()})`);
  const ks = value('ks') as readonly number[];
  const selectMetric = value('selectMetric') as string | undefined;
  if (selectMetric !== undefined) checkSelectMetric(selectMetric, ks);
  const minRating = value('minRating') as number | undefined;
  const seed = value('seed') as number;
  const modelDefaults = modelInfo.defaults;
  const refit = value('refit') as boolean;
  if (refit && epochs !== undefined) throw new OptionError('--refit', '--refit retrains for the epochs early stopping selected: it has no meaning with --epochs');
  return Object.freeze({
    dataset,
    model,
    sampler,
    samplerOptions: samplerValues,
    modelOptions: modelValues,
    loss,
    ...(lossReads.includes('softFactor') ? { softFactor: (value('softFactor') as number | undefined) ?? samplerInfo.loss?.softFactor ?? DEFAULT_SOFT_FACTOR } : {}),
    ...(lossReads.includes('margin') ? { margin: value('margin') as number } : {}),
    seed,
    ...(epochs === undefined ? {} : { epochs }),
    maxEpochs: value('maxEpochs') as number,
    batchSize: (value('batchSize') as number | undefined) ?? samplerInfo.batchSize ?? modelDefaults.batchSize ?? DEFAULT_TRAINER.batchSize,
    negatives: (value('negatives') as number | undefined) ?? samplerInfo.negatives ?? DEFAULT_TRAINER.negatives,
    dim: (value('dim') as number | undefined) ?? modelDefaults.dim,
    l2: (value('l2') as number | undefined) ?? modelDefaults.l2,
    learningRate: (value('learningRate') as number | undefined) ?? modelDefaults.learningRate,
    evalEvery: value('evalEvery') as number,
    patience: value('patience') as number,
    ks,
    ...(selectMetric === undefined ? {} : { selectMetric }),
    listLength: value('listLength') as number,
    ...(pretrainEpochs === undefined ? {} : { pretrainEpochs }),
    pretrainSampler: value('pretrainSampler') as 'uniform' | 'dns',
    validRatio: value('validRatio') as number,
    ...(minRating === undefined ? {} : { minRating }),
    backend: value('backend') as BackendRequest,
    out: (value('out') as string | undefined) ?? `runs/${safe(dataset)}-${model}-${sampler}-seed${seed}`,
    writeBack: value('writeBack') as boolean,
    refit,
    warmStart: value('warmStart') as boolean,
    topK: value('topK') as number,
    wait: value('wait') as number,
    region,
    ...(region === 'global' ? {} : { khop }),
    writeBatchSize: value('writeBatchSize') as number,
  });
}

function preTrainers(): string {
  return Object.entries(SAMPLERS)
    .filter(([, entry]) => entry.pretrain)
    .map(([name]) => name)
    .join(', ');
}

function checkSelectMetric(metric: string, ks: readonly number[]): void {
  const match = /^(recall|ndcg|precision|hit)@(\d+)$/.exec(metric);
  if (match) {
    if (!ks.includes(Number(match[2]))) throw new OptionError('--select-metric', `--select-metric ${metric} needs ${match[2]} among --ks (${ks.join(',')})`);
    return;
  }
  if (!metric.startsWith('imp.') && !metric.startsWith('list.')) {
    throw new OptionError('--select-metric', `--select-metric expects recall@K, ndcg@K (K among --ks) or an exposure metric (imp.auc, ...), got '${metric}'`);
  }
}

/** A flag's raw value: a string, true for --x, false for --no-x; undefined when not given. */
function flagValue(flags: Raw, key: string, spec: OptionSpec): string | boolean | undefined {
  const name = flagName(key, spec);
  if (spec.kind === 'boolean') {
    if (flags[name] === true && flags[`no-${name}`] === true) throw new OptionError(`--${name}`, `--${name} and --no-${name} contradict each other`);
    if (flags[`no-${name}`] === true) return false;
    return flags[name] === true ? true : undefined;
  }
  const raw = flags[name];
  return typeof raw === 'string' ? raw : undefined;
}

function isGiven(layers: Layers, key: TrainOptionKey): boolean {
  return flagValue(layers.flags, key, TRAIN_OPTIONS[key]) !== undefined || layers.config[key] !== undefined;
}

/**
 * A sampler's or model's own options from flags, flat config keys and the
 * nested samplerOptions / modelOptions object. An option that another sampler
 * (model) declares and neither the chosen sampler nor model does is refused,
 * naming whose it is: `--pool` with `--sampler uniform`.
 */
function ownValues(layers: Layers, kind: 'sampler' | 'model', name: string, specs: OptionSpecs, otherSpecs: OptionSpecs): Record<string, unknown> {
  const owner = `${kind} ${name}`;
  const nestedKey = `${kind}Options`;
  const out: Record<string, unknown> = {};
  const nested = layers.config[nestedKey];
  if (nested !== undefined && (typeof nested !== 'object' || nested === null || Array.isArray(nested))) {
    throw new OptionError(`${layers.configName}.${nestedKey}`, `${layers.configName}.${nestedKey} expects an object of ${owner}'s options`);
  }
  for (const [key, raw] of Object.entries((nested as Raw | undefined) ?? {})) {
    const spec = specs[key];
    if (!spec) throw new OptionError(`${layers.configName}.${nestedKey}.${key}`, `${layers.configName}.${nestedKey}.${key}: ${owner} has no option '${key}'`, suggestion(key, Object.keys(specs)));
    out[key] = fromConfig(`${layers.configName}.${nestedKey}.${key}`, spec, raw);
  }
  for (const [key, anySpec] of OWN_OPTIONS) {
    const spec = specs[key];
    const fromFlags = flagValue(layers.flags, key, spec ?? anySpec);
    const fromFile = layers.config[key];
    if (fromFlags === undefined && fromFile === undefined) continue;
    if (spec) {
      out[key] = fromFlags !== undefined ? fromFlag(key, spec, fromFlags) : fromConfig(`${layers.configName}.${key}`, spec, fromFile);
      continue;
    }
    if (key in otherSpecs || ownedBy(key, kind).length === 0) continue;
    const where = fromFlags !== undefined ? `--${flagName(key, anySpec)}` : `${layers.configName}.${key}`;
    const own = Object.keys(specs);
    throw new OptionError(where, `${where} is an option of ${ownedBy(key).join(', ')}, not of ${owner}`, own.length ? `${owner}'s options: ${own.join(', ')}` : `${owner} takes no options of its own`);
  }
  return out;
}

/** Who declares an option: 'sampler dns', 'model jnskr'. */
function ownedBy(key: string, kind?: 'sampler' | 'model'): string[] {
  const out: string[] = [];
  if (kind !== 'model') for (const [name, entry] of Object.entries(SAMPLERS)) if (key in entry.options) out.push(`sampler ${name}`);
  if (kind !== 'sampler') for (const [name, entry] of Object.entries(MODELS)) if (key in entry.options) out.push(`model ${name}`);
  return out;
}

/** Every key of a config file must be a train option, a sampler's or model's option, or a nested options object. */
function checkConfigKeys(layers: Layers): void {
  const known = [...Object.keys(TRAIN_OPTIONS), ...OWN_OPTIONS.keys(), 'samplerOptions', 'modelOptions'];
  for (const key of Object.keys(layers.config)) {
    if (!known.includes(key)) {
      throw new OptionError(`${layers.configName}.${key}`, `${layers.configName}: unknown option '${key}'`, suggestion(key, known));
    }
  }
}

function readConfig(file: string): Raw {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KgnegError(`cannot read config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { exitCode: 2 });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KgnegError(`config ${file} is not JSON: ${(error as Error).message}`, { exitCode: 2 });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KgnegError(`config ${file} must hold a JSON object of options`, { exitCode: 2 });
  }
  return parsed as Raw;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** `npm run train -- --help [--sampler S] [--model M]`: every option with its default and doc. */
export function trainHelp(flags: Raw): string {
  const sampler = typeof flags['sampler'] === 'string' && SAMPLERS[flags['sampler']] ? flags['sampler'] : undefined;
  const model = typeof flags['model'] === 'string' && MODELS[flags['model']] ? flags['model'] : undefined;
  const lines = [
    'usage: npm run train -- --dataset NAME [options]   (a --config FILE.json holds the same options, camelCase; flags win)',
    '  --quiet: only the summary; --verbose: every epoch\'s line',
    '',
    'options:',
  ];
  lines.push(...helpLines(TRAIN_OPTIONS));
  const section = (title: string, names: readonly string[], table: Record<string, { description: string; options: OptionSpecs }>) => {
    for (const name of names) {
      const entry = table[name]!;
      lines.push('', `${title} ${name}: ${entry.description}`);
      lines.push(...(Object.keys(entry.options).length ? helpLines(entry.options, '    ') : ['    (no options of its own)']));
    }
  };
  if (sampler || model) {
    if (sampler) section('sampler', [sampler], SAMPLERS);
    if (model) section('model', [model], MODELS);
  } else {
    lines.push('', 'samplers (npm run train -- --help --sampler NAME lists one\'s options):');
    for (const [name, entry] of Object.entries(SAMPLERS)) lines.push(`  ${name.padEnd(11)} ${entry.description}`);
    lines.push('', 'models (--help --model NAME):');
    for (const [name, entry] of Object.entries(MODELS)) lines.push(`  ${name.padEnd(11)} ${entry.description}`);
    lines.push('', 'losses:');
    for (const name of LOSS_NAMES) lines.push(`  ${name.padEnd(11)} ${LOSSES[name].doc}`);
  }
  return lines.join('\n');
}

/**
 * A `key=value` setting typed as a command line would type it (benches'
 * `sampler:key=value` configs): the value is then checked like any other.
 */
export function settingFromText(key: string, text: string): unknown {
  const spec: OptionSpec | undefined = (TRAIN_OPTIONS as OptionSpecs)[key] ?? OWN_OPTIONS.get(key);
  if (!spec) {
    throw new KgnegError(`unknown option '${key}'`, { hint: suggestion(key, [...Object.keys(TRAIN_OPTIONS), ...OWN_OPTIONS.keys()]), exitCode: 2 });
  }
  try {
    return fromFlag(key, spec, text);
  } catch (error) {
    if (error instanceof OptionError) throw new KgnegError(error.message, { exitCode: 2 });
    throw error;
  }
}
