/**
 * One training run, stage by stage: choose the backend, load the run's data
 * from Neo4j, fit (pre-train, early stopping, refit), evaluate on test,
 * record (metrics.json and the curve picture), write back. Each stage is a
 * module of its own under stages/ with typed input and output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { QueryRunner } from '../../graph/query-runner.js';
import type { WriteBackResult } from '../../graph/write-back.js';
import { samplerEntry } from '../../sampling/registry.js';
import { assertSyncReads, selectBackend } from '../../train/backend.js';
import { modelEntry } from '../../train/models/registry.js';
import { writeCheckpoint } from '../../train/checkpoint.js';
import { benchEnvironment } from '../bench/result.js';
import { withWriterLock } from '../../graph/dataset-lock.js';
import type { OutputStream } from '../progress.js';
import { trainingCurve } from './curve.js';
import type { TrainOptions } from './options.js';
import { stopLine, stopReason, trainingReporter, type ReporterMode, type TrainingReporter } from './reporter.js';
import { interruptOnSignal } from './signals.js';
import { evaluateTest } from './stages/evaluate.js';
import { fitModel } from './stages/fit.js';
import { checkDatasetFits, loadRunData } from './stages/load-data.js';
import { RUN_RECORD_SCHEMA, type RunRecord } from './stages/record.js';
import { writeBackModel, writeSamplerExplanations } from './stages/write-back.js';

export interface RunReport {
  readonly metricsPath: string;
  readonly curvePath: string;
  readonly final: Record<string, number>;
  readonly bestEpoch: number;
  readonly writeBack?: WriteBackResult;
  readonly metrics: RunRecord;
}

/** How a run talks: quiet (the summary only), normal (a live line per phase), verbose (every epoch). */
export interface RunOutput {
  readonly mode?: ReporterMode;
  /** Default stdout; benches pass a sink. */
  readonly stream?: OutputStream;
}

/** Output for code that wants none (benches). */
export const SILENT: RunOutput = { mode: 'quiet', stream: { write: () => true } };

export async function runTraining(runner: QueryRunner, options: TrainOptions, output: RunOutput = {}): Promise<RunReport> {
  const began = Date.now();
  const stream = output.stream ?? process.stdout;
  const mode = output.mode ?? 'normal';
  const early = (line: string) => {
    if (mode !== 'quiet') stream.write(`${line}\n`);
  };
  await checkDatasetFits(runner, options);
  const backend = await selectBackend(options.backend, early);
  if (!modelEntry(options.model).asyncReads) assertSyncReads(backend, `model ${options.model}`);
  if (samplerEntry(options.sampler).readsTensorsSync) assertSyncReads(backend, `sampler ${options.sampler}`);

  const run = await loadRunData(runner, options, early);
  const reporter: TrainingReporter = trainingReporter({ metric: run.selectMetric, mode, stream });
  const print = reporter.print;

  const interrupt = interruptOnSignal(print);
  let phase: string | undefined;
  const fitted = await fitModel(run, options, {
    print,
    onEpoch: (name, e, budget) => {
      if (name !== phase) {
        phase = name;
        reporter.phase(name, { maxEpochs: budget });
      }
      reporter.epoch(e);
    },
    shouldStop: interrupt.requested,
  }).finally(() => interrupt.dispose());
  const { model, sampler, result } = fitted;
  reporter.endPhase();

  reporter.phase('test');
  const test = await evaluateTest(run, model, options);
  reporter.endPhase(`${test.users} users`);

  // The parameter tables with their row ids, under a name of their own: a later run writing the same
  // directory does not replace the checkpoint of the run that is served.
  mkdirSync(options.out, { recursive: true });
  const checkpoint = path.resolve(options.out, `model-${Date.now()}.ckpt`);
  writeCheckpoint(checkpoint, model, run.data.users.ids, run.data.items.ids);

  const environment = benchEnvironment();
  const timings = { loadSeconds: run.data.loadSeconds, trainSeconds: fitted.seconds, testEvalSeconds: test.seconds };
  const { split, data, regions } = run;
  const record: Omit<RunRecord, 'timings'> = {
    schemaVersion: RUN_RECORD_SCHEMA,
    config: options,
    dataset: { name: options.dataset, format: data.dataset.format, splitRule: data.dataset.splitRule, splitSeed: data.dataset.splitSeed },
    validationSplit: split.validation,
    code: { commit: environment.commit },
    environment,
    backend,
    sizes: { users: split.numUsers, items: split.numItems, train: split.train.indices.length, valid: split.valid.indices.length, test: split.test.indices.length },
    epochs: result.epochs,
    bestEpoch: result.bestEpoch,
    keptWarmStart: fitted.pretrain !== null && result.bestEpoch === 0,
    stoppedEarly: result.stoppedEarly,
    interrupted: result.interrupted,
    refit: fitted.refit,
    pretrain: fitted.pretrain,
    warmStart: fitted.warmStart,
    checkpoint,
    selectMetric: run.selectMetric,
    impressions: run.held ? run.held.summary : null,
    bestValidation: result.bestValidation ?? null,
    samplerStats: sampler.stats?.() ?? {},
    region: regions
      ? { name: options.region, khop: options.khop!, source: regions.source, seconds: regions.seconds, file: regions.file, candidatesPerUser: fitted.regionSizes }
      : { name: 'global' },
    final: test.metrics,
  };
  mkdirSync(options.out, { recursive: true });
  const curvePath = path.join(options.out, 'training-curve.svg');
  const stopContext = { metric: run.selectMetric, patience: options.patience, evalEvery: options.evalEvery, maxEpochs: options.epochs ?? options.maxEpochs };
  writeFileSync(
    curvePath,
    trainingCurve({
      epochs: result.epochs,
      metric: run.selectMetric,
      dataset: options.dataset,
      model: options.model,
      sampler: options.sampler,
      seed: options.seed,
      backend: backend.name,
      ...(test.metrics['recall@20'] === undefined ? {} : { testRecallAt20: test.metrics['recall@20'] }),
      bestEpoch: result.bestEpoch,
      reason: stopReason(result, stopContext),
    }),
  );

  let writeBack: WriteBackResult | undefined;
  let explanations: RunRecord['explanations'];
  let writeBackSeconds: number | undefined;
  // The results are on disk before the write-back starts: a database that goes away, or another
  // writer holding the dataset, does not lose what was trained.
  const metricsPath = path.join(options.out, 'metrics.json');
  const save = (extra: Partial<RunRecord>, writeBackSeconds?: number) => {
    const metrics: RunRecord = { ...record, timings: { ...timings, ...(writeBackSeconds === undefined ? {} : { writeBackSeconds }), totalSeconds: (Date.now() - began) / 1000 }, ...extra };
    writeFileSync(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
    return metrics;
  };
  let metrics = save({});
  if (options.writeBack) {
    reporter.phase('write-back');
    ({ writeBack, explanations } = await withWriterLock(
      runner,
      options.dataset,
      { command: `train (${options.model} + ${options.sampler}, seed ${options.seed})`, waitSeconds: options.wait, onWait: print },
      async () => {
        const written = await writeBackModel(runner, run, model, options, {
          commit: environment.commit,
          backend: backend.name,
          bestEpoch: result.bestEpoch,
          final: test.metrics,
          timings,
          checkpoint,
          ...(fitted.warmStart ? { warmStartedFrom: fitted.warmStart.fromRun } : {}),
        }, (done, total) =>
          reporter.progress(done, total, 'rows'),
        );
        reporter.endPhase(`run ${written.runId}`);
        return { writeBack: written, explanations: await writeSamplerExplanations(runner, run, sampler, model, options, written.runId) };
      },
    ).catch((error: unknown) => {
      reporter.endPhase('failed');
      print(`the trained run's metrics are in ${metricsPath} (not written back)`);
      throw error;
    }));
    writeBackSeconds = writeBack.seconds;
    if (explanations) {
      print(`wrote ${explanations.rows} ${options.sampler} explanations (one positive per user) in ${explanations.seconds.toFixed(1)}s: npm run explain -- --dataset ${options.dataset} --user ID`);
    }
    metrics = save({ writeBack, ...(explanations ? { explanations } : {}) }, writeBackSeconds);
  }
  reporter.summary({
    stop: stopLine(result, stopContext),
    testTitle: `test (epoch ${result.bestEpoch}${fitted.refit ? `, refit on train + validation` : ''}, ${test.users} users)`,
    test: test.metrics,
    lines: [`metrics: ${metricsPath}; curve: ${curvePath}`],
  });
  model.dispose();
  sampler.dispose?.();
  return { metricsPath, curvePath, final: test.metrics, bestEpoch: result.bestEpoch, ...(writeBack ? { writeBack } : {}), metrics };
}

export function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([key, value]) => `${key} ${value.toFixed(4)}`)
    .join(', ');
}

