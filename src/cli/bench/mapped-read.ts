/**
 * `npm run bench -- mapped-read [--dataset amazon-book-kgat] [--repeats 3]`
 *
 * Reading a mapped graph into training arrays against reading the same data
 * ingested in kgneg's own layout, in one process. The dataset is ingested from
 * ../shared/datasets first if the database lacks it; then the same
 * interactions are written, if not already there, as an application graph
 * with its own labels, (:<Name>Reader {readerId})-[:READ {at}]->(:<Name>Book
 * {bookId}) with the dataset's own ids (cypher/bench/merge-app-*.cypher), and
 * registered as the mapped dataset '<name>-graph'. `at` is a datetime: the
 * interaction's timestamp where the dataset has one, else a synthetic one
 * hashed from the (user, item) key, so that the read converts a temporal per
 * row as it would on an application's graph.
 *
 * The mapping takes the ingested dataset's split rule and seed where a
 * mapping can express it (random-6-2-2, user-time-8-1-1): then both reads
 * must give the same interactions with the same splits. A fixed split (KGAT's
 * train.txt / test.txt) cannot be expressed: the mapping then uses
 * random-6-2-2, only reading cost is compared, and the check is on the
 * interactions alone. Both are loaded once untimed (and checked), then
 * `loadTrainingData` is timed on each, alternating, --repeats times.
 */
import os from 'node:os';
import type { ExternalId } from '../../base/ids.js';
import type { DatasetRecord } from '../../graph/datasets/dataset-repository.js';
import { hash32 } from '../../graph/datasets/split.js';
import { KgnegError } from '../../graph/errors.js';
import { forgetDataset } from '../../graph/forget.js';
import { QuotedName } from '../../graph/mapping/names.js';
import { registerGraphMapping } from '../../graph/mapping/register.js';
import { DEFAULT_MAPPING_SPLIT_SEED, MAPPING_SPLIT_RULES, parseMapping, type GraphMapping } from '../../graph/mapping/schema.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { loadTrainingData, type TrainingData } from '../../graph/training-data.js';
import { idParam, intParam } from '../../graph/values.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, intFlag, neo4jConfigFrom, parseFlags } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { ensureBenchDataset } from './dataset.js';
import { benchEnvironment, median, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, repeats: { type: 'string' } } as const;

/** Synthetic times lie within one year from here (epoch seconds). */
const SYNTHETIC_EPOCH = 1_500_000_000;
const YEAR_SECONDS = 365 * 86_400;

interface AppGraph {
  readonly readerLabel: QuotedName;
  readonly bookLabel: QuotedName;
}

export async function benchMappedRead(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- mapped-read', argv, FLAGS, `  --dataset NAME (amazon-book-kgat, from ../shared/datasets)  --repeats N (3)\n${CONNECTION_USAGE}`);
  const name = values.dataset ?? 'amazon-book-kgat';
  const repeats = intFlag('repeats', values.repeats, 3);
  if (repeats < 1) throw new KgnegError('--repeats expects at least 1', { exitCode: 2 });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const loadBefore = os.loadavg();
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  try {
    const runner = new QueryRunner(connection);
    const ingested = await ensureBenchDataset(runner, name);

    const prefix = name.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
    const labels = { reader: `${prefix}Reader`, book: `${prefix}Book` };
    const app: AppGraph = { readerLabel: QuotedName.checked(labels.reader), bookLabel: QuotedName.checked(labels.book) };
    const build = await ensureAppGraph(runner, app, ingested, log);

    const sameRule = (MAPPING_SPLIT_RULES as readonly string[]).includes(ingested.splitRule);
    const mapping = parseMapping({
      name: `${name}-graph`,
      source: 'graph',
      users: { label: labels.reader, id: 'readerId' },
      items: { label: labels.book, id: 'bookId' },
      interactions: [{ type: 'READ', time: 'at' }],
      split: sameRule ? { rule: ingested.splitRule, seed: ingested.splitSeed } : { rule: 'random-6-2-2', seed: DEFAULT_MAPPING_SPLIT_SEED },
    }) as GraphMapping;
    const registered = await registerGraphMapping(runner, mapping, {
      file: 'bench mapped-read',
      replace: true,
      forget: (dataset) => forgetDataset(runner, dataset).then(() => undefined),
    });
    log(`bench mapped-read: '${mapping.name}' ${registered.outcome} in ${registered.seconds.toFixed(1)}s (split ${mapping.split.rule} seed ${mapping.split.seed}; '${name}' has ${ingested.splitRule})`);

    // Untimed: warms the page cache and the JIT, and checks that both reads give the same data.
    const check = compareData(await loadTrainingData(runner, name), await loadTrainingData(runner, mapping.name), sameRule);
    log(`bench mapped-read: same ${check.interactions} interactions, ${check.users} users, ${check.items} items${sameRule ? ', same splits' : ''} on both`);

    const seconds = { ingested: [] as number[], mapped: [] as number[] };
    for (let r = 0; r < repeats; r += 1) {
      // ABBA: each kind goes first in every other round.
      for (const kind of r % 2 === 0 ? (['ingested', 'mapped'] as const) : (['mapped', 'ingested'] as const)) {
        const began = performance.now();
        await loadTrainingData(runner, kind === 'ingested' ? name : mapping.name);
        seconds[kind].push(round((performance.now() - began) / 1000));
        log(`round ${r + 1}: ${kind} ${seconds[kind].at(-1)!.toFixed(2)}s`);
      }
    }
    const ingestedMedian = median(seconds.ingested);
    const mappedMedian = median(seconds.mapped);
    const result = {
      bench: 'mapped-read',
      dataset: name,
      mappedDataset: mapping.name,
      appGraph: {
        pattern: `(:${labels.reader} {readerId})-[:READ {at}]->(:${labels.book} {bookId})`,
        times: "datetimes: the dataset's timestamps where it has them, else synthetic ones hashed from the (user, item) key",
        builtNow: build.built,
        buildSeconds: build.seconds,
      },
      interactions: check.interactions,
      users: check.users,
      items: check.items,
      split: {
        ingested: ingested.splitRule,
        mapped: mapping.split,
        compared: sameRule
          ? 'same rule and seed: same interactions and splits, checked'
          : `a mapping cannot express the '${ingested.splitRule}' split: reading cost only (the mapping splits by ${mapping.split.rule}); same interactions, checked`,
      },
      repeats,
      ingested: { seconds: seconds.ingested, medianSeconds: ingestedMedian },
      mapped: { seconds: seconds.mapped, medianSeconds: mappedMedian },
      mappedOverIngested: round(mappedMedian / ingestedMedian),
      loadAverage: { before: loadBefore.map(round), after: os.loadavg().map(round) },
      environment: benchEnvironment(),
    };
    publishBenchResult('mapped-read', result, log);
  } finally {
    await connection.close();
  }
  return 0;
}

/** Writes the application graph from the dataset's own interactions, unless it is already complete. */
async function ensureAppGraph(runner: QueryRunner, app: AppGraph, dataset: DatasetRecord, log: (line: string) => void) {
  const slots = { readerLabel: app.readerLabel, bookLabel: app.bookLabel };
  const expected = Number((dataset as DatasetRecord & { interactions?: number }).interactions ?? 0);
  const [present] = await runner.read<{ reads: number }>('bench/count-app-graph', {}, slots);
  if (expected > 0 && Number(present?.reads ?? 0) === expected) return { built: false, seconds: 0 };

  const rows: Array<{ userId: ExternalId; itemId: ExternalId; timestamp: number | null }> = [];
  await runner.stream(
    'bench/stream-app-source',
    { dataset: dataset.name },
    (fields) => {
      const [userId, itemId, timestamp] = fields as [ExternalId, ExternalId, number | null];
      rows.push({ userId, itemId, timestamp });
    },
    { restart: () => (rows.length = 0) },
  );
  const began = Date.now();
  log(`bench mapped-read: writing ${rows.length} interactions of '${dataset.name}' as ${app.readerLabel.name} -[:READ]-> ${app.bookLabel.name}`);
  await runner.autoCommit('bench/create-app-id-constraint', {}, { label: app.readerLabel, id: QuotedName.checked('readerId') });
  await runner.autoCommit('bench/create-app-id-constraint', {}, { label: app.bookLabel, id: QuotedName.checked('bookId') });
  await runner.writeBatches('bench/merge-app-readers', [...new Set(rows.map((r) => r.userId))].map(idParam), { slots });
  await runner.writeBatches('bench/merge-app-books', [...new Set(rows.map((r) => r.itemId))].map(idParam), { slots });
  const reads = rows.map((r) => ({
    u: idParam(r.userId),
    i: idParam(r.itemId),
    t: intParam(r.timestamp === null ? SYNTHETIC_EPOCH + (hash32(1, JSON.stringify([r.userId, r.itemId])) % YEAR_SECONDS) : Math.round(r.timestamp)),
  }));
  await runner.writeBatches('bench/merge-app-reads', reads, {
    slots,
    onProgress: ({ rowsDone, rowsTotal }) => {
      if (rowsDone % 100_000 < 5_000 || rowsDone === rowsTotal) log(`  reads: ${rowsDone}/${rowsTotal}`);
    },
  });
  return { built: true, seconds: (Date.now() - began) / 1000 };
}

/** Both reads must hold the same (user, item) interactions, and with the same rule the same splits; throws where they differ. */
function compareData(ingested: TrainingData, mapped: TrainingData, sameSplits: boolean) {
  const pairs = (data: TrainingData) => {
    const out = new Map<string, number>();
    const { userIdxs, itemIdxs, splits } = data.interactions;
    for (let k = 0; k < userIdxs.length; k += 1) out.set(JSON.stringify([data.users.ids[userIdxs[k]!], data.items.ids[itemIdxs[k]!]]), splits[k]!);
    return out;
  };
  const a = pairs(ingested);
  const b = pairs(mapped);
  const differ = (what: string) => new KgnegError(`bench mapped-read: the mapped graph and '${ingested.dataset.name}' differ: ${what}`, { hint: 'the application graph is incomplete or stale: delete its nodes and run the bench again' });
  if (a.size !== b.size) throw differ(`${a.size} interactions ingested, ${b.size} mapped`);
  for (const [key, split] of a) {
    const other = b.get(key);
    if (other === undefined) throw differ(`interaction ${key} is not mapped`);
    if (sameSplits && other !== split) throw differ(`interaction ${key} is in split ${split} ingested, ${other} mapped`);
  }
  return { interactions: a.size, users: mapped.users.ids.length, items: mapped.items.ids.length };
}

function round(value: number): number {
  return Number(value.toFixed(3));
}
