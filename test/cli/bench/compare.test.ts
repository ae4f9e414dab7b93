/**
 * The pure parts of the benches' shared comparison loop (src/cli/bench/compare.ts):
 * config grammars typed by settingFromText, train options per cell and seed,
 * what is kept of a run's report, and the aggregation over seeds. No database.
 */
import { describe, expect, it } from 'vitest';
import {
  aggregateCell,
  cellTrainOptions,
  comparisonChart,
  parseExposureConfig,
  parseListFlag,
  parseSamplersConfig,
  seedRun,
  type SeedRun,
} from '../../../src/cli/bench/compare.js';
import type { RunRecord } from '../../../src/cli/train/stages/record.js';
import { KgnegError } from '../../../src/graph/errors.js';

function refusal(run: () => unknown): KgnegError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KgnegError);
    expect((error as KgnegError).exitCode).toBe(2);
    return error as KgnegError;
  }
  throw new Error('expected a refusal');
}

describe('parseSamplersConfig', () => {
  it('reads model:sampler with defaults', () => {
    expect(parseSamplersConfig('mf:dns')).toEqual({ model: 'mf', sampler: 'dns' });
    expect(parseSamplersConfig('lightgcn')).toEqual({ model: 'lightgcn', sampler: 'uniform' });
  });

  it('reads region and khop, khop as a number', () => {
    expect(parseSamplersConfig('lightgcn:recns:distant:3')).toEqual({ model: 'lightgcn', sampler: 'recns', region: 'distant', khop: 3 });
    expect(parseSamplersConfig('mf:dns:intermediate')).toEqual({ model: 'mf', sampler: 'dns', region: 'intermediate' });
  });

  it('takes key=value options after the positional parts, typed', () => {
    expect(parseSamplersConfig('mf:sdns:softFactor=0.1')).toEqual({ model: 'mf', sampler: 'sdns', softFactor: 0.1 });
    expect(parseSamplersConfig('mf:dns:distant:5:patience=10')).toEqual({ model: 'mf', sampler: 'dns', region: 'distant', khop: 5, patience: 10 });
  });

  it('refuses bad parts with the config named', () => {
    expect(refusal(() => parseSamplersConfig('mf:nosuch')).message).toMatch(/samplers config 'mf:nosuch'.*--sampler/);
    expect(refusal(() => parseSamplersConfig('mf:dns:nowhere')).message).toMatch(/--region/);
    expect(refusal(() => parseSamplersConfig('mf:dns:distant:x')).message).toMatch(/--khop/);
    expect(refusal(() => parseSamplersConfig('mf:dns:distant:3:extra')).message).toMatch(/at most 4/);
    expect(refusal(() => parseSamplersConfig('mf:dns:softFactor=0.1:distant')).message).toMatch(/'distant' is not key=value/);
    expect(refusal(() => parseSamplersConfig('mf:dns:sampler=uniform')).message).toMatch(/'sampler' is set twice/);
    expect(refusal(() => parseSamplersConfig('mf:dns:nosuchOption=1')).message).toMatch(/unknown option 'nosuchOption'/);
  });
});

describe('parseExposureConfig', () => {
  it('reads sampler[:key=value...] with typed values', () => {
    expect(parseExposureConfig('dns')).toEqual({ sampler: 'dns' });
    expect(parseExposureConfig('rns-es:beta=0.5')).toEqual({ sampler: 'rns-es', beta: 0.5 });
    expect(parseExposureConfig('')).toEqual({ sampler: 'uniform' });
  });

  it('refuses parts without = and values of the wrong type', () => {
    expect(refusal(() => parseExposureConfig('rns:beta')).message).toMatch(/exposure config 'rns:beta': 'beta' is not key=value/);
    expect(refusal(() => parseExposureConfig('rns:=1')).message).toMatch(/is not key=value/);
    expect(refusal(() => parseExposureConfig('rns-es:beta=high')).message).toMatch(/beta/);
    expect(refusal(() => parseExposureConfig('rns:beta=0.5:beta=0.6')).message).toMatch(/set twice/);
  });
});

describe('parseListFlag', () => {
  it('types each value as its train option', () => {
    expect(parseListFlag('seeds', 'seed', '1, 2,3')).toEqual([1, 2, 3]);
    expect(parseListFlag('soft-factors', 'softFactor', '0.05,0.4')).toEqual([0.05, 0.4]);
    expect(refusal(() => parseListFlag('seeds', 'seed', '1,x')).message).toMatch(/^bench: --seeds: /);
    expect(refusal(() => parseListFlag('seeds', 'seed', '1.5')).message).toMatch(/--seeds/);
  });
});

describe('cellTrainOptions', () => {
  it('resolves settings with the seed, no write-back and a run directory per cell and seed', () => {
    const options = cellTrainOptions({ label: 'mf:sdns:softFactor=0.1', settings: { dataset: 'lastfm-kgcn', ...parseSamplersConfig('mf:sdns:softFactor=0.1'), maxEpochs: 2 } }, 7, 'bench-results/samplers');
    expect(options).toMatchObject({ dataset: 'lastfm-kgcn', model: 'mf', sampler: 'sdns', softFactor: 0.1, seed: 7, maxEpochs: 2, writeBack: false, ks: [20] });
    expect(options.out).toBe('bench-results/samplers/lastfm-kgcn-mf_sdns_softFactor_0.1-seed7');
  });

  it('refuses an inconsistent cell before anything runs', () => {
    expect(() => cellTrainOptions({ label: 'x', settings: { dataset: 'd', maxEpochs: 0 } }, 1, 'out')).toThrow(KgnegError);
  });
});

function run(seed: number, test: Record<string, number>, extra: Partial<SeedRun> = {}): SeedRun {
  return { seed, test, validation: 0.3, validationMetric: 'recall@20', bestEpoch: 10, pretrainEpoch: null, seconds: 5, samplerStats: {}, backend: 'cpu', ...extra };
}

describe('seedRun', () => {
  const report = (pretrain: { bestEpoch: number } | null) => ({
    final: { 'recall@20': 0.2, 'imp.auc': 0.6 },
    bestEpoch: 12,
    metrics: {
      selectMetric: 'imp.auc',
      bestValidation: { 'imp.auc': 0.61, 'recall@20': 0.25 },
      pretrain,
      timings: { loadSeconds: 1, trainSeconds: 2, testEvalSeconds: 1, totalSeconds: 4.5 },
      samplerStats: { redraws: 3 },
      backend: { name: 'wasm' },
    } as unknown as RunRecord,
  });

  it('keeps the select metric\'s validation by default, another when named', () => {
    expect(seedRun(3, report(null))).toEqual({
      seed: 3,
      test: { 'recall@20': 0.2, 'imp.auc': 0.6 },
      validation: 0.61,
      validationMetric: 'imp.auc',
      bestEpoch: 12,
      pretrainEpoch: null,
      seconds: 4.5,
      samplerStats: { redraws: 3 },
      backend: 'wasm',
    });
    expect(seedRun(3, report({ bestEpoch: 4 }), 'recall@20')).toMatchObject({ validation: 0.25, validationMetric: 'recall@20', pretrainEpoch: 4 });
    expect(seedRun(3, report(null), 'ndcg@20').validation).toBeNaN();
  });
});

describe('aggregateCell', () => {
  it('gives mean and sample sd per metric, per-seed lists, NaN for a metric a run lacks', () => {
    const cell = { label: 'mf:dns', settings: { model: 'mf', sampler: 'dns' } };
    const runs = [
      run(1, { 'recall@20': 0.2, 'ndcg@20': 0.1 }, { validation: 0.3, bestEpoch: 10, seconds: 5, samplerStats: { redraws: 1 } }),
      run(2, { 'recall@20': 0.4, 'ndcg@20': 0.3 }, { validation: 0.5, bestEpoch: 20, seconds: 7, pretrainEpoch: 3 }),
    ];
    const result = aggregateCell(cell, runs, ['recall@20', 'ndcg@20', 'imp.auc']);
    expect(result.label).toBe('mf:dns');
    expect(result.seeds).toEqual([1, 2]);
    expect(result.test['recall@20']).toEqual({ mean: 0.3, std: 0.14142, values: [0.2, 0.4] });
    expect(result.test['ndcg@20']!.mean).toBeCloseTo(0.2, 5);
    expect(result.test['imp.auc']!.mean).toBeNaN();
    expect(result.validation).toEqual({ mean: 0.4, std: 0.14142, values: [0.3, 0.5] });
    expect(result.bestEpochs).toEqual([10, 20]);
    expect(result.pretrainEpochs).toEqual([null, 3]);
    expect(result.seconds).toEqual([5, 7]);
    expect(result.samplerStats).toEqual([{ redraws: 1 }, {}]);
    expect(result.runs).toHaveLength(2);
  });

  it('one seed: spread 0', () => {
    const result = aggregateCell({ label: 'a', settings: {} }, [run(1, { 'recall@20': 0.25 })], ['recall@20']);
    expect(result.test['recall@20']).toEqual({ mean: 0.25, std: 0, values: [0.25] });
  });
});

describe('comparisonChart', () => {
  it('draws one group per cell and one bar per metric with a value', () => {
    const cells = [
      aggregateCell({ label: 'mf:dns', settings: {} }, [run(1, { 'recall@20': 0.2, 'ndcg@20': 0.1 }), run(2, { 'recall@20': 0.3, 'ndcg@20': 0.2 })], ['recall@20', 'ndcg@20']),
      aggregateCell({ label: 'mf:<odd>', settings: {} }, [run(1, { 'recall@20': 0.25 })], ['recall@20', 'ndcg@20']),
    ];
    const svg = comparisonChart(cells, ['recall@20', 'ndcg@20'], { title: 'title' });
    expect(svg.match(/class="group"/g)).toHaveLength(2);
    expect(svg.match(/class="bar"/g)).toHaveLength(3);
    expect(svg).toContain('mf:&lt;odd&gt;');
    expect(svg).toContain('n/a');
  });
});
