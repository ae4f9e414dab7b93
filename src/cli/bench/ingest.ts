/**
 * `npm run bench -- ingest [--dataset DIR] [--runs 3]`
 *
 * Ingestion throughput of the driver path (ingestDataset: UNWIND $batch MERGE
 * from Node) against a baseline measured in the same run on the same server:
 * the same rows and the same MERGE statements loaded server-side by
 * `LOAD CSV ... CALL {} IN TRANSACTIONS OF 5000 ROWS`. Both write into an empty
 * dataset name each run; the CSV files are written before the clock starts,
 * and the driver path's parse time is reported but not counted.
 * Needs Java + Maven: it starts its own Neo4j (free port, temporary directory),
 * because LOAD CSV reads the server's import directory.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveNeo4jConfig } from '../../graph/config.js';
import { connect } from '../../graph/connection.js';
import { deleteDataset, countDatasetGraph } from '../../graph/datasets/dataset-repository.js';
import { ingestDataset } from '../../graph/datasets/ingest.js';
import { parseDataset } from '../../graph/datasets/parse.js';
import { interactionKey, type ParsedDataset, tripleKey } from '../../graph/datasets/records.js';
import { KgnegError } from '../../graph/errors.js';
import { pinnedNeo4jVersion } from '../../graph/local-neo4j/build.js';
import { freePort, startLocalNeo4j, stopLocalNeo4j } from '../../graph/local-neo4j/server.js';
import { FileMigrationProvider } from '../../graph/migrations/file-provider.js';
import { Migrator } from '../../graph/migrations/migrator.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { intFlag, parseFlags } from '../options.js';
import { writeCsv } from './csv.js';
import { DEMO_DATASET } from '../start/index.js';
import { benchEnvironment, median, writeBenchResult } from './result.js';

const FLAGS = {
  dataset: { type: 'string' },
  runs: { type: 'string' },
  'batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  heap: { type: 'string' },
} as const;

const DEFAULT_DATASET = path.resolve(DEMO_DATASET, '../amazon-book-kgat');
const PHASES = ['users', 'items', 'entities', 'interactions', 'triples'] as const;

interface RunTiming {
  readonly run: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly phases: Record<string, number>;
}

export async function benchIngest(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- ingest', argv, FLAGS, '  --dataset DIR (KGAT or KGCN)  --runs N (3)  --batch-size N --concurrency N --heap SIZE');
  const dir = path.resolve(values.dataset ?? DEFAULT_DATASET);
  const runs = intFlag('runs', values.runs, 3);
  const batchSize = intFlag('batch-size', values['batch-size'], 5_000);
  const concurrency = intFlag('concurrency', values.concurrency, 2);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const parsed = await parseDataset(dir);
  if (parsed.idTypes.user !== 'int' || parsed.idTypes.item !== 'int' || parsed.exposures.length > 0) {
    throw new KgnegError('bench ingest compares against LOAD CSV statements written for integer-id datasets without exposures', {
      hint: 'use a KGAT or KGCN dataset (default: amazon-book-kgat)',
    });
  }
  const rows = PHASES.reduce((sum, phase) => sum + csvRows(parsed, phase).length, 0);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'kgneg-bench-neo4j-'));
  const config = resolveNeo4jConfig({}, { uri: `bolt://127.0.0.1:${await freePort()}`, password: 'kgneg-bench-password', dataDir });
  log(`bench ingest: ${dir}, ${rows} rows, ${runs} runs; starting a local Neo4j in ${dataDir}`);
  await startLocalNeo4j(config, { ...(values.heap === undefined ? {} : { heap: values.heap }), log });
  const connection = await connect(config);
  const runner = new QueryRunner(connection);
  try {
    const migrated = await new Migrator({ runner, provider: new FileMigrationProvider() }).migrateToLatest();
    if (migrated.error) throw migrated.error;
    const importDir = path.join(dataDir, 'import');
    mkdirSync(importDir, { recursive: true });
    for (const phase of PHASES) {
      await writeCsv(path.join(importDir, `${phase}.csv`), CSV_HEADERS[phase], csvRows(parsed, phase));
    }

    const driver: RunTiming[] = [];
    const loadCsv: RunTiming[] = [];
    for (let run = 1; run <= runs; run += 1) {
      // Alternate which goes first so neither always meets a warmer cache.
      const order = run % 2 === 1 ? ['driver', 'csv'] : ['csv', 'driver'];
      for (const which of order) {
        const name = `bench-${which}-${run}`;
        if (which === 'driver') {
          const report = await ingestDataset(runner, { dir, name, batchSize, concurrency });
          const phases = Object.fromEntries(report.phases.map((p) => [p.phase, p.seconds]));
          const seconds = report.phases.reduce((sum, p) => sum + p.seconds, 0);
          driver.push({ run, seconds, rowsPerSecond: rows / seconds, phases });
          log(`run ${run} driver:   ${seconds.toFixed(1)}s, ${Math.round(rows / seconds)} rows/s (parse ${report.parseSeconds.toFixed(1)}s, not counted)`);
        } else {
          const phases: Record<string, number> = {};
          for (const phase of PHASES) {
            const began = Date.now();
            await runner.autoCommit(`bench/load-csv-${phase}`, { url: `file:///${phase}.csv`, dataset: name });
            phases[phase] = (Date.now() - began) / 1000;
          }
          const seconds = Object.values(phases).reduce((a, b) => a + b, 0);
          loadCsv.push({ run, seconds, rowsPerSecond: rows / seconds, phases });
          log(`run ${run} LOAD CSV: ${seconds.toFixed(1)}s, ${Math.round(rows / seconds)} rows/s`);
        }
        const counts = await countDatasetGraph(runner, name);
        if (counts.interactions !== parsed.interactions.length || counts.triples !== parsed.triples.length) {
          throw new Error(`bench ${name} loaded ${counts.interactions} interactions / ${counts.triples} triples`);
        }
        await deleteDataset(runner, name);
      }
    }
    const driverMedian = median(driver.map((r) => r.rowsPerSecond));
    const csvMedian = median(loadCsv.map((r) => r.rowsPerSecond));
    const result = {
      bench: 'ingest',
      dataset: dir,
      rows,
      runs,
      batchSize,
      concurrency,
      neo4j: pinnedNeo4jVersion(),
      driver: { medianRowsPerSecond: Math.round(driverMedian), runs: driver },
      loadCsvBaseline: { medianRowsPerSecond: Math.round(csvMedian), runs: loadCsv },
      // > 1 means the driver path is slower than the server-side baseline by that factor.
      baselineOverDriver: Number((csvMedian / driverMedian).toFixed(3)),
      environment: benchEnvironment(),
    };
    const file = writeBenchResult('ingest', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    log(`written to ${file}`);
  } finally {
    await connection.close();
    await stopLocalNeo4j(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return 0;
}

type CsvPhase = (typeof PHASES)[number];

const CSV_HEADERS: Record<CsvPhase, readonly string[]> = {
  users: ['id', 'orgId'],
  items: ['id', 'entityId', 'orgId', 'freebaseId'],
  entities: ['id'],
  interactions: ['key', 'u', 'i', 'split'],
  triples: ['key', 'h', 't', 'r', 'name', 'count'],
};

function csvRows(parsed: ParsedDataset, phase: CsvPhase): unknown[][] {
  switch (phase) {
    case 'users':
      return parsed.users.map((u) => [u.userId, u.orgId ?? null]);
    case 'items':
      return parsed.items.map((i) => [i.itemId, i.entityId ?? null, i.orgId ?? null, i.attributes?.['freebaseId'] ?? null]);
    case 'entities':
      return parsed.entities.map((e) => [e]);
    case 'interactions':
      return parsed.interactions.map((r) => [interactionKey(r), r.userId, r.itemId, r.split ?? 'train']);
    case 'triples': {
      const names = new Map(parsed.relations.map((r) => [r.relationId, r.name]));
      return parsed.triples.map((t) => [tripleKey(t), t.headId, t.tailId, t.relationId, names.get(t.relationId) ?? String(t.relationId), t.count ?? null]);
    }
  }
}

