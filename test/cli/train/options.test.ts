/**
 * The option space fed with bad values: every option of train, of every
 * sampler and of every model, with zero, negative, non-numeric, fractional
 * and out-of-range values, unknown names and incompatible pairs. Each must be
 * refused as a KgnegError with exit code 2 and a one-line message naming the
 * option, before any data is read (no database here).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagName, type OptionSpec } from '../../../src/base/options.js';
import { resolveTrainOptions, settingFromText, trainHelp, trainOptionsFrom, TRAIN_OPTIONS } from '../../../src/cli/train/options.js';
import { SAMPLERS } from '../../../src/sampling/registry.js';
import { MODELS } from '../../../src/train/models/registry.js';
import { refusal } from '../../support/refusal.js';

type Flags = Record<string, string | boolean>;

/** Bad command-line texts for an option, from its declared kind and range. */
function badTexts(spec: OptionSpec): string[] {
  const range = spec.expected;
  switch (spec.kind) {
    case 'int': {
      const out = ['abc', '1.5', '', '1e400'];
      const min = /(?:>=|>) (-?[\d.e-]+)/.exec(range);
      if (min) out.push(String(Number(min[1]) - 1));
      const max = /<= (-?[\d.e-]+)/.exec(range);
      if (max) out.push(String(Number(max[1]) + 1));
      return out;
    }
    case 'number': {
      const out = ['abc', '', 'NaN', 'Infinity'];
      const above = /> (-?[\d.e-]+)/.exec(range);
      if (above && !range.includes('>=')) out.push(String(Number(above[1])));
      const min = />= (-?[\d.e-]+)/.exec(range);
      if (min) out.push(String(Number(min[1]) - 1));
      const max = /<= (-?[\d.e-]+)/.exec(range);
      if (max) out.push(String(Number(max[1]) + 1));
      return out;
    }
    case 'enum':
      return ['nope', ''];
    case 'list':
      return ['0', 'a,b', '10,,20', '-5'];
    default:
      return [];
  }
}

/** A combination the option belongs to, so that only its value can be wrong. */
function hostFlags(key: string): Flags {
  if (key === 'softFactor') return { loss: 'soft-bpr' };
  if (key === 'margin') return { loss: 'hinge' };
  if (key === 'pretrainEpochs') return { sampler: 'kgpolicy' };
  if (key === 'khop') return { region: 'distant' };
  return {};
}

describe('train options', () => {
  const cases: Array<{ label: string; flags: Flags; names: string }> = [];
  for (const [key, spec] of Object.entries(TRAIN_OPTIONS) as Array<[string, OptionSpec]>) {
    for (const text of badTexts(spec)) cases.push({ label: `--${flagName(key, spec)} '${text}'`, flags: { dataset: 'd', ...hostFlags(key), [flagName(key, spec)]: text }, names: `--${flagName(key, spec)}` });
  }
  for (const [name, entry] of Object.entries(SAMPLERS)) {
    if (name === 'none') continue;
    for (const [key, spec] of Object.entries(entry.options)) {
      for (const text of badTexts(spec)) cases.push({ label: `--sampler ${name} --${flagName(key, spec)} '${text}'`, flags: { dataset: 'd', sampler: name, [flagName(key, spec)]: text }, names: `--${flagName(key, spec)}` });
    }
  }
  for (const [name, entry] of Object.entries(MODELS)) {
    for (const [key, spec] of Object.entries(entry.options)) {
      for (const text of badTexts(spec)) cases.push({ label: `--model ${name} --${flagName(key, spec)} '${text}'`, flags: { dataset: 'd', model: name, [flagName(key, spec)]: text }, names: `--${flagName(key, spec)}` });
    }
  }
  // Options of one sampler or model given to another, and combinations that cannot train.
  const incompatible: Array<[string, Flags, string]> = [
    ['a sampler option with a sampler that lacks it', { dataset: 'd', sampler: 'uniform', pool: '8' }, '--pool'],
    ['a kgpolicy option with dns', { dataset: 'd', sampler: 'dns', n1: '8' }, '--n1'],
    ['a jnskr option with mf', { dataset: 'd', model: 'mf', c0: '10' }, '--c0'],
    ['rns with a model without interaction features', { dataset: 'd', sampler: 'rns', model: 'lightgcn' }, 'pairFeatures'],
    ['jnskr with a sampler', { dataset: 'd', model: 'jnskr', sampler: 'dns' }, '--sampler'],
    ['sampler none with a sampling model', { dataset: 'd', sampler: 'none' }, 'none'],
    ['a region with an exposure sampler', { dataset: 'd', sampler: 'rns', region: 'intermediate' }, '--region'],
    ['--soft-factor with bpr', { dataset: 'd', 'soft-factor': '0.1' }, 'softFactor'],
    ['--margin with bpr', { dataset: 'd', margin: '0.2' }, 'margin'],
    ['--pretrain-epochs without pre-training', { dataset: 'd', sampler: 'dns', 'pretrain-epochs': '3' }, '--pretrain-epochs'],
    ['--pretrain-sampler without pre-training', { dataset: 'd', 'pretrain-sampler': 'dns' }, '--pretrain-sampler'],
    ['--khop without a region', { dataset: 'd', khop: '5' }, '--khop'],
    ['an even khop', { dataset: 'd', region: 'distant', khop: '4' }, '--khop'],
    ['--refit with --epochs', { dataset: 'd', refit: true, epochs: '3' }, '--refit'],
    ['--select-metric at a K not evaluated', { dataset: 'd', 'select-metric': 'recall@30' }, 'recall@30'],
    ['--select-metric unknown', { dataset: 'd', 'select-metric': 'accuracy' }, 'accuracy'],
    ['a switch both on and off', { dataset: 'd', refit: true, 'no-refit': true }, '--refit'],
    ['no dataset', {}, '--dataset'],
  ];
  for (const [label, flags, names] of incompatible) cases.push({ label, flags, names });

  it(`refuses ${cases.length} bad inputs with one line and exit code 2`, () => {
    expect(cases.length).toBeGreaterThan(150);
    for (const c of cases) {
      const error = refusal(() => resolveTrainOptions(c.flags));
      expect(error.exitCode, c.label).toBe(2);
      expect(error.message, c.label).not.toMatch(/\n|internal error/);
      expect(`${error.message} ${error.hint ?? ''}`, c.label).toContain(c.names);
    }
  });

  it('a config file: unknown keys get the closest valid name, JSON types are kept, paths name the key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-options-'));
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const typo = refusal(() => resolveTrainOptions({ config: write('typo.json', '{"dataset": "d", "sampelr": "dns"}') }));
    expect(typo.message).toMatch(/unknown option 'sampelr'/);
    expect(typo.hint).toMatch(/did you mean 'sampler'/);
    const stringly = refusal(() => resolveTrainOptions({ config: write('string.json', '{"dataset": "d", "sampler": "dns", "pool": "16"}') }));
    expect(stringly.message).toMatch(/\.pool expects an integer >= 1, got "16"/);
    const nested = refusal(() => resolveTrainOptions({ config: write('nested.json', '{"dataset": "d", "sampler": "dns", "samplerOptions": {"poll": 3}}') }));
    expect(nested.message).toMatch(/samplerOptions\.poll/);
    expect(nested.hint).toMatch(/did you mean 'pool'/);
    expect(refusal(() => resolveTrainOptions({ config: write('bad.json', '{"dataset": ') })).message).toMatch(/is not JSON/);
    expect(refusal(() => resolveTrainOptions({ config: write('array.json', '[1]') })).message).toMatch(/JSON object/);
    expect(refusal(() => resolveTrainOptions({ config: path.join(dir, 'missing.json') })).message).toMatch(/cannot read config/);
    // Flags win over the file.
    const file = write('ok.json', '{"dataset": "d", "sampler": "dns", "pool": 8, "seed": 3}');
    expect(resolveTrainOptions({ config: file, pool: '4' }).samplerOptions['pool']).toBe(4);
    expect(resolveTrainOptions({ config: file }).seed).toBe(3);
  });

  it('defaults come from the sampler and model entries; a run record\'s config reads back to the same options', () => {
    const recns = resolveTrainOptions({ dataset: 'd', sampler: 'recns' });
    expect(recns).toMatchObject({ model: 'lightgcn', loss: 'hinge', negatives: 15, region: 'intermediate', samplerOptions: { candidates: 20, positiveAssist: true } });
    const sdns = resolveTrainOptions({ dataset: 'd', sampler: 'sdns' });
    expect(sdns).toMatchObject({ loss: 'soft-bpr', softFactor: 0.05, samplerOptions: { pool: 16 } });
    expect(resolveTrainOptions({ dataset: 'd', sampler: 'rns' })).toMatchObject({ model: 'gmf', batchSize: 1024, dim: 32 });
    expect(resolveTrainOptions({ dataset: 'd', model: 'jnskr' })).toMatchObject({ sampler: 'none', batchSize: 256, modelOptions: { attention: 'code', c0: 300 } });
    expect(resolveTrainOptions({ dataset: 'd', sampler: 'recns', 'no-positive-assist': true }).samplerOptions['positiveAssist']).toBe(false);
    const kgpolicy = resolveTrainOptions({ dataset: 'd', sampler: 'kgpolicy', n1: '8', 'hop1-argmax': true });
    const { samplerOptions, modelOptions, ...rest } = kgpolicy;
    expect(trainOptionsFrom({ ...rest, samplerOptions, modelOptions })).toEqual(kgpolicy);
    expect(settingFromText('exposedInPool', '0')).toBe(false);
  });

  it('--help lists every option with its default, and a sampler\'s own options on request', () => {
    const all = trainHelp({});
    for (const [key, spec] of Object.entries(TRAIN_OPTIONS) as Array<[string, OptionSpec]>) expect(all).toContain(`--${flagName(key, spec)}`);
    for (const name of Object.keys(SAMPLERS)) expect(all).toContain(name);
    const kgpolicy = trainHelp({ sampler: 'kgpolicy' });
    for (const key of Object.keys(SAMPLERS['kgpolicy']!.options)) expect(kgpolicy).toContain(`--${flagName(key, SAMPLERS['kgpolicy']!.options[key]!)}`);
    expect(kgpolicy).toMatch(/--n1 N\s+neighbours kept per node before pruning \(n1\) \(default 64\)/);
  });
});
