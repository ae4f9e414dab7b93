/**
 * `npm run migrate [-- --dataset DIR [--name N] [--format F] [--split-seed S] [--replace]]`
 * Applies the schema migrations, then (with --dataset) ingests a dataset;
 * `npm run migrate -- --help` lists every option (MIGRATE_OPTIONS).
 */
import { FileMigrationProvider } from '../../graph/migrations/file-provider.js';
import { Migrator } from '../../graph/migrations/migrator.js';
import type { MigrateOutcome } from '../../graph/migrations/types.js';
import { KgnegError, MigrationError } from '../../graph/errors.js';
import { DEFAULT_SPLIT_SEED, ingestCsvMapping, ingestDataset, type IngestReport } from '../../graph/datasets/ingest.js';
import { forgetDataset } from '../../graph/forget.js';
import { registerGraphMapping } from '../../graph/mapping/register.js';
import { readMappingFile, type Mapping } from '../../graph/mapping/schema.js';
import { DATASET_FORMATS, type DatasetFormat } from '../../graph/datasets/records.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { withRunner } from '../connection.js';
import { option } from '../../base/options.js';
import { defineCommand, optional } from '../command-options.js';
import { phasedProgress } from '../progress.js';

/** Every option of `npm run migrate`, declared once: flags, --help and their checks come from it. */
export const MIGRATE_OPTIONS = {
  dataset: optional(option.string(`ingest a dataset directory after migrating (formats: ${DATASET_FORMATS.join(', ')})`, undefined, { meta: 'DIR' }), 'migrations only'),
  mapping: optional(
    option.string('register a graph already in Neo4j ("source": "graph") or ingest CSV files ("source": "csv"), see docs/own-graph.md', undefined, { meta: 'FILE' }),
    'migrations only',
  ),
  name: optional(option.string('the name later commands use', undefined, { meta: 'NAME' }), "the directory's basename"),
  format: optional(option.enum('the dataset format: skips detection', DATASET_FORMATS as readonly DatasetFormat[] as [DatasetFormat, ...DatasetFormat[]], undefined), 'detected'),
  splitSeed: optional(option.int('seed of the split for datasets without a fixed split', undefined, { min: 0 }), `${DEFAULT_SPLIT_SEED}, or the seed it was loaded with`),
  replace: option.boolean('delete a dataset of that name loaded from other files first', false),
  batchSize: optional(option.int('rows per write transaction', undefined, { min: 1 }), '5000 rows'),
  concurrency: optional(option.int('write transactions in flight', undefined, { min: 1 }), '2 transactions'),
} as const;

export const MIGRATE_COMMAND = defineCommand({ name: 'migrate', options: MIGRATE_OPTIONS, synopsis: '[--dataset DIR | --mapping FILE] [options]' });

export interface MigrateOptions {
  readonly dataset?: string;
  readonly name?: string;
  readonly format?: DatasetFormat;
  readonly splitSeed?: number;
  readonly replace?: boolean;
  readonly batchSize?: number;
  readonly concurrency?: number;
  /** One line for the schema and one per ingestion phase summary (npm start), not every statement. */
  readonly concise?: boolean;
}

export async function migrateCommand(argv: string[]): Promise<number> {
  const { values, neo4j: config } = MIGRATE_COMMAND.parse(argv);
  if (values.mapping !== undefined) {
    if (values.dataset !== undefined) throw new KgnegError('give --dataset DIR or --mapping FILE, not both', { exitCode: 2 });
    const mapping = readMappingFile(values.mapping);
    const file = values.mapping;
    await withRunner(config, async (runner) => {
      await migrate(runner, {});
      await migrateMapping(runner, mapping, file, values.replace);
    });
    return 0;
  }
  const options: MigrateOptions = {
    ...(values.dataset === undefined ? {} : { dataset: values.dataset }),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.format === undefined ? {} : { format: values.format }),
    ...(values.splitSeed === undefined ? {} : { splitSeed: values.splitSeed }),
    replace: values.replace,
    ...(values.batchSize === undefined ? {} : { batchSize: values.batchSize }),
    ...(values.concurrency === undefined ? {} : { concurrency: values.concurrency }),
  };
  await withRunner(config, (runner) => migrate(runner, options));
  return 0;
}

export async function migrate(runner: QueryRunner, options: MigrateOptions = {}): Promise<IngestReport | undefined> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const outcome = await new Migrator({ runner, provider: new FileMigrationProvider(), log: options.concise ? () => undefined : print }).migrateToLatest();
  if (options.concise && !outcome.error) {
    const applied = outcome.results.filter((r) => r.status === 'applied').length;
    print(`schema: ${outcome.results.length} migrations, ${applied === 0 ? 'all applied earlier' : `${applied} applied now`}`);
  } else printOutcome(outcome, print);
  if (outcome.error) {
    throw new MigrationError(
      `migration failed: ${outcome.results.find((r) => r.status === 'failed')?.error ?? String(outcome.error)}`,
      'fix the cause and run `npm run migrate` again; applied migrations are not repeated',
      outcome.error,
    );
  }
  if (options.dataset === undefined) return undefined;
  const progress = phasedProgress(process.stderr, Date.now, options.concise ? { offTerminal: 'silent' } : {});
  try {
    const report = await ingestDataset(runner, {
      dir: options.dataset,
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.format === undefined ? {} : { format: options.format }),
      ...(options.splitSeed === undefined ? {} : { splitSeed: options.splitSeed }),
      ...(options.replace ? { replace: true } : {}),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      onProgress: (p) => progress.update(p.phase, p.rowsDone, p.rowsTotal),
      // Concise (npm start): the one summary line below says what happened.
      ...(options.concise ? {} : { log: print }),
    });
    progress.finish();
    if (options.concise) printCounts(report.counts, (line) => print(`dataset '${report.name}' (${report.format}, ${report.outcome === 'unchanged' ? 'loaded earlier' : `${report.outcome} in ${report.seconds.toFixed(1)}s`}):${line.replace(/^\s+/, ' ')}`));
    else printIngestReport(report, print);
    return report;
  } finally {
    progress.finish();
  }
}

/** A mapping: a graph in Neo4j is registered in place; CSV files are ingested. */
export async function migrateMapping(runner: QueryRunner, mapping: Mapping, file: string, replace: boolean): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (mapping.source === 'csv') {
    const progress = phasedProgress();
    try {
      const report = await ingestCsvMapping(runner, mapping, file, { replace, onProgress: (p) => progress.update(p.phase, p.rowsDone, p.rowsTotal), log: print });
      progress.finish();
      printIngestReport(report, print);
    } finally {
      progress.finish();
    }
    return;
  }
  const report = await registerGraphMapping(runner, mapping, { file, replace, forget: (name) => forgetDataset(runner, name).then(() => undefined) });
  const what = { registered: 'registered in place', unchanged: 'already registered with this mapping, nothing to do', replaced: 'registered again with the new mapping' }[report.outcome];
  print(`dataset '${report.name}' (graph, ${mapping.users.label} -> ${mapping.items.label}): ${what} in ${report.seconds.toFixed(1)}s (split ${mapping.split.rule} seed ${mapping.split.seed}); nothing of the graph was copied or changed`);
  if (report.folded > 0 || report.belowMinRating > 0) print(`  repeated (user, item) interactions folded: ${report.folded}; below minRating: ${report.belowMinRating}`);
  printCounts(report.counts, print);
}

function printOutcome(outcome: MigrateOutcome, print: (line: string) => void): void {
  for (const result of outcome.results) {
    const status = {
      applied: `applied in ${result.ms ?? 0} ms`,
      'already-applied': 'done earlier',
      failed: `FAILED: ${result.error ?? ''}`,
      'not-run': 'not run',
    }[result.status];
    print(`migration ${result.version}-${result.name}: ${status}`);
  }
}

export function printIngestReport(report: IngestReport, print: (line: string) => void): void {
  const what = { ingested: 'ingested', resumed: 'finished an interrupted ingestion of', unchanged: 'already complete, nothing to do for', grown: 'loaded what is new in' }[
    report.outcome
  ];
  print(`dataset '${report.name}' (${report.format}): ${what} in ${report.seconds.toFixed(1)}s (split seed ${report.splitSeed})`);
  if (report.added) {
    const { users, items, entities, interactions } = report.added;
    print(`  new: ${interactions} interactions, ${users} users, ${items} items, ${entities} entities (the stored interactions keep their splits; npm run stats -- --dataset ${report.name} compares with the served run)`);
  }
  for (const phase of report.phases) {
    if (phase.skipped) print(`  ${phase.phase}: done earlier`);
    else print(`  ${phase.phase}: ${phase.rows} rows in ${phase.seconds.toFixed(1)}s (${Math.round(phase.rows / Math.max(phase.seconds, 1e-3))} rows/s)`);
  }
  printCounts(report.counts, print);
}

export function printCounts(counts: IngestReport['counts'], print: (line: string) => void): void {
  print(
    `  users ${counts.users}, items ${counts.items}, entities ${counts.entities}, ` +
      `interactions ${counts.interactions} (train ${counts.trainInteractions}, valid ${counts.validInteractions}, test ${counts.testInteractions}), ` +
      `exposures ${counts.exposures} (${counts.exposureOccurrences} occurrences), triples ${counts.triples}, relations ${counts.relations}`,
  );
}
