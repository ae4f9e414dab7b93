/**
 * `npm run bench -- warm-start [--dataset ml100k-recbole] [--seeds 1,2,3] [--cut 0.9] [--sampler dns]`
 *
 * Warm-started retraining against training from scratch when new data has
 * arrived. The dataset's interactions (it must have timestamps) are written as
 * an application graph of the bench's own, (:WarmStart<Name>Reader)-[:READ
 * {at}]->(:WarmStart<Name>Book), registered as the mapped dataset
 * 'warm-start-<name>' with the user-time-8-1-1 split. Per seed:
 *
 * 1. the graph holds only the interactions up to a global time cut (the
 *    `--cut` quantile of the timestamps); MF is trained from scratch with early
 *    stopping and served;
 * 2. the interactions after the cut arrive (new users, new items, new
 *    interactions of known users);
 * 3. on the grown graph, MF is trained once with --warm-start from the served
 *    run and once from scratch, same seed, same early stopping, neither
 *    written back.
 *
 * Reported per arm (mean and sample sd over seeds): seconds of training,
 * epochs trained, the kept epoch, its validation and test recall@20 and
 * NDCG@20; and the warm start's known/new users and items.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExternalId } from '../../base/ids.js';
import { KgnegError } from '../../graph/errors.js';
import { forgetDataset } from '../../graph/forget.js';
import { QuotedName } from '../../graph/mapping/names.js';
import { registerGraphMapping } from '../../graph/mapping/register.js';
import { parseMapping, type GraphMapping } from '../../graph/mapping/schema.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { idParam, intParam } from '../../graph/values.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, neo4jConfigFrom, parseFlags } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { ensureBenchDataset } from './dataset.js';
import { trainOptionsFrom } from '../train/options.js';
import { runTraining, SILENT, type RunReport } from '../train/run.js';
import { parseListFlag } from './compare.js';
import { benchEnvironment, meanAndSpread, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, seeds: { type: 'string' }, cut: { type: 'string' }, sampler: { type: 'string' } } as const;

interface Row {
  readonly u: ReturnType<typeof idParam>;
  readonly i: ReturnType<typeof idParam>;
  readonly t: ReturnType<typeof intParam>;
  readonly seconds: number;
}

export async function benchWarmStart(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    'bench -- warm-start',
    argv,
    FLAGS,
    `  --dataset NAME (ml100k-recbole: needs timestamps)  --seeds 1,2,3  --cut Q (0.9: the time quantile where new data begins)  --sampler NAME (dns)\n${CONNECTION_USAGE}`,
  );
  const name = values.dataset ?? 'ml100k-recbole';
  const seeds = parseListFlag('--seeds', 'seed', values.seeds ?? '1,2,3') as number[];
  const cut = Number(values.cut ?? '0.9');
  if (!(cut > 0 && cut < 1)) throw new KgnegError(`--cut expects a number between 0 and 1, got ${values.cut}`, { exitCode: 2 });
  const sampler = values.sampler ?? 'dns';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const loadBefore = os.loadavg();
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  try {
    const runner = new QueryRunner(connection);
    await ensureBenchDataset(runner, name);
    const rows = await sourceRows(runner, name);
    const sorted = rows.map((r) => r.seconds).sort((a, b) => a - b);
    const cutSeconds = sorted[Math.floor(cut * (sorted.length - 1))]!;
    const before = rows.filter((r) => r.seconds <= cutSeconds);
    const after = rows.filter((r) => r.seconds > cutSeconds);
    log(`bench warm-start: ${before.length} interactions up to ${new Date(cutSeconds * 1000).toISOString()}, ${after.length} after`);

    const prefix = `WarmStart${name.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}`;
    const slots = { readerLabel: QuotedName.checked(`${prefix}Reader`), bookLabel: QuotedName.checked(`${prefix}Book`) };
    const dataset = `warm-start-${name}`;
    const mapping = parseMapping({
      name: dataset,
      source: 'graph',
      users: { label: slots.readerLabel.name, id: 'readerId' },
      items: { label: slots.bookLabel.name, id: 'bookId' },
      interactions: [{ type: 'READ', time: 'at' }],
      split: { rule: 'user-time-8-1-1', seed: 1 },
    }) as GraphMapping;

    const out = mkdtempSync(path.join(os.tmpdir(), 'kgneg-warm-start-'));
    const train = (seed: number, settings: Record<string, unknown>) =>
      runTraining(runner, trainOptionsFrom({ dataset, sampler, seed, backend: 'auto', out: path.join(out, `${seed}-${Object.keys(settings).join('-') || 'scratch'}`), ...settings }), SILENT);
    const arms = { served: [] as Arm[], warm: [] as Arm[], scratch: [] as Arm[] };
    const counts: unknown[] = [];
    for (const seed of seeds) {
      await forgetDataset(runner, dataset).catch(() => undefined);
      for (const label of [slots.readerLabel, slots.bookLabel]) await runner.autoCommit('bench/delete-app-graph', {}, { label });
      await runner.autoCommit('bench/create-app-id-constraint', {}, { label: slots.readerLabel, id: QuotedName.checked('readerId') });
      await runner.autoCommit('bench/create-app-id-constraint', {}, { label: slots.bookLabel, id: QuotedName.checked('bookId') });
      await writeRows(runner, slots, before);
      await registerGraphMapping(runner, mapping, { file: 'bench warm-start', replace: true, forget: (d) => forgetDataset(runner, d).then(() => undefined) });
      const served = await train(seed, {});
      arms.served.push(arm(served));
      log(`seed ${seed}: served run on the data up to the cut: epoch ${served.bestEpoch}, test recall@20 ${served.final['recall@20']!.toFixed(4)}, ${served.metrics.timings.trainSeconds.toFixed(1)}s`);
      await writeRows(runner, slots, after);
      const warm = await train(seed, { warmStart: true, writeBack: false });
      const scratch = await train(seed, { writeBack: false });
      arms.warm.push(arm(warm));
      arms.scratch.push(arm(scratch));
      counts.push(warm.metrics.warmStart);
      log(
        `seed ${seed}: warm ${warm.metrics.timings.trainSeconds.toFixed(1)}s epoch ${warm.bestEpoch}/${warm.metrics.epochs.length} recall@20 ${warm.final['recall@20']!.toFixed(4)}; ` +
          `scratch ${scratch.metrics.timings.trainSeconds.toFixed(1)}s epoch ${scratch.bestEpoch}/${scratch.metrics.epochs.length} recall@20 ${scratch.final['recall@20']!.toFixed(4)}`,
      );
    }
    await forgetDataset(runner, dataset);
    for (const label of [slots.readerLabel, slots.bookLabel]) await runner.autoCommit('bench/delete-app-graph', {}, { label });
    const summary = (list: Arm[]) => ({
      trainSeconds: meanAndSpread(list.map((a) => a.trainSeconds)),
      epochsTrained: meanAndSpread(list.map((a) => a.epochsTrained)),
      keptEpoch: meanAndSpread(list.map((a) => a.keptEpoch)),
      validRecall20: meanAndSpread(list.map((a) => a.validRecall20)),
      recall20: meanAndSpread(list.map((a) => a.recall20)),
      ndcg20: meanAndSpread(list.map((a) => a.ndcg20)),
    });
    const result = {
      bench: 'warm-start',
      dataset: name,
      mappedDataset: dataset,
      model: 'mf',
      sampler,
      seeds,
      cut: { quantile: cut, at: new Date(cutSeconds * 1000).toISOString(), before: before.length, after: after.length },
      protocol:
        'per seed: train on the interactions up to the cut (served); add the rest; train with --warm-start and from scratch on the grown graph, same seed, early stopping on validation (user-time-8-1-1 split of the grown graph)',
      servedBeforeCut: summary(arms.served),
      warm: summary(arms.warm),
      scratch: summary(arms.scratch),
      warmOverScratchSeconds: meanAndSpread(arms.warm.map((a, k) => a.trainSeconds / arms.scratch[k]!.trainSeconds)),
      warmStart: counts,
      loadAverage: { before: loadBefore, after: os.loadavg() },
      environment: benchEnvironment(),
    };
    publishBenchResult(`warm-start-${name}`, result, log);
  } finally {
    await connection.close();
  }
  return 0;
}

interface Arm {
  readonly trainSeconds: number;
  readonly epochsTrained: number;
  readonly keptEpoch: number;
  readonly validRecall20: number;
  readonly recall20: number;
  readonly ndcg20: number;
}

function arm(report: RunReport): Arm {
  return {
    trainSeconds: report.metrics.timings.trainSeconds,
    epochsTrained: report.metrics.epochs.length,
    keptEpoch: report.bestEpoch,
    validRecall20: report.metrics.bestValidation?.['recall@20'] ?? Number.NaN,
    recall20: report.final['recall@20'] ?? Number.NaN,
    ndcg20: report.final['ndcg@20'] ?? Number.NaN,
  };
}

async function sourceRows(runner: QueryRunner, dataset: string): Promise<Row[]> {
  const rows: Row[] = [];
  await runner.stream(
    'bench/stream-app-source',
    { dataset },
    (fields) => {
      const [userId, itemId, timestamp] = fields as [ExternalId, ExternalId, number | null];
      if (timestamp === null) throw new KgnegError(`bench warm-start: dataset '${dataset}' has interactions without a timestamp: a time cut needs them`, { exitCode: 2 });
      const seconds = Math.round(timestamp);
      rows.push({ u: idParam(userId), i: idParam(itemId), t: intParam(seconds), seconds });
    },
    { restart: () => (rows.length = 0) },
  );
  return rows;
}

async function writeRows(runner: QueryRunner, slots: { readerLabel: QuotedName; bookLabel: QuotedName }, rows: readonly Row[]): Promise<void> {
  const distinct = (ids: ReadonlyArray<Row['u']>) => [...new Map(ids.map((id) => [String(id), id])).values()];
  await runner.writeBatches('bench/merge-app-readers', distinct(rows.map((r) => r.u)), { slots });
  await runner.writeBatches('bench/merge-app-books', distinct(rows.map((r) => r.i)), { slots });
  await runner.writeBatches('bench/merge-app-reads', rows.map(({ u, i, t }) => ({ u, i, t })), { slots });
}
