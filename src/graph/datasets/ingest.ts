/**
 * Loads a parsed dataset into Neo4j under a name.
 *
 * The whole input is parsed and validated before the first write, so bad input
 * leaves the database untouched. Writes are MERGEs on the uniqueness keys of
 * migration 0001, in phases (nodes before the relationships that need them);
 * the (:Dataset) record says 'loading' until every phase is written and the
 * counts in Neo4j equal the counts parsed, and only then 'complete'. A run that
 * was killed is finished by running it again: completed phases are skipped,
 * the interrupted one is merged again, which changes nothing already there.
 *
 * Entry points: ingestDataset (a dataset directory), ingestCsvMapping (CSV/TSV
 * files named by a mapping file) and ingestParsedDataset (any ParsedDataset);
 * the first two parse, then all three share the writing.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { KgnegError } from '../errors.js';
import type { CsvMapping } from '../mapping/schema.js';
import type { QueryRunner } from '../query-runner.js';
import { forgetDataset } from '../forget.js';
import { idParam, intParam } from '../values.js';
import {
  beginDataset,
  completeDataset,
  countDatasetGraph,
  type DatasetCounts,
  type DatasetRecord,
  getDataset,
  markPhaseDone,
} from './dataset-repository.js';
import { parseCsvMapping } from './formats/csv.js';
import { parseDataset } from './parse.js';
import {
  type DatasetFormat,
  exposureKey,
  type ItemAttributes,
  interactionKey,
  type ParsedDataset,
  tripleKey,
} from './records.js';
import { assignSplits } from './split.js';
import { planGrowth, type Growth } from './growth.js';

export const DEFAULT_SPLIT_SEED = 2026;

export const INGEST_PHASES = ['users', 'items', 'entities', 'interactions', 'exposures', 'triples'] as const;
export type IngestPhase = (typeof INGEST_PHASES)[number];

export interface IngestProgress {
  readonly phase: IngestPhase;
  readonly rowsDone: number;
  readonly rowsTotal: number;
}

/** How a parsed dataset is written; shared by every way of reaching one. */
export interface WriteOptions {
  readonly splitSeed?: number;
  /** Delete a dataset of the same name that holds other data, instead of refusing. */
  readonly replace?: boolean;
  readonly batchSize?: number;
  readonly concurrency?: number;
  /** Per phase: rows written so far of the phase's total (a caller shows rows/s from it). */
  readonly onProgress?: (progress: IngestProgress) => void;
  readonly log?: (line: string) => void;
}

export interface IngestOptions extends WriteOptions {
  readonly dir: string;
  /** Defaults to the directory's basename. */
  readonly name?: string;
  readonly format?: DatasetFormat;
}

/** ingestCsvMapping: the seed is the mapping's split.seed, the split rule its split.rule. */
export interface CsvIngestOptions extends Omit<WriteOptions, 'splitSeed'> {
  /** Defaults to the mapping's name. */
  readonly name?: string;
}

/** ingestParsedDataset: a dataset parsed by the caller. */
export interface ParsedIngestOptions extends WriteOptions {
  readonly name: string;
  /** What the (:Dataset) records as sourceDir: the dataset directory, or the mapping file. */
  readonly source: string;
  /** Seconds the caller spent parsing, for the report. */
  readonly parseSeconds?: number;
}

export interface PhaseTiming {
  readonly phase: IngestPhase;
  readonly rows: number;
  readonly seconds: number;
  readonly skipped: boolean;
}

export interface IngestReport {
  readonly name: string;
  readonly format: DatasetFormat;
  /** `unchanged`: already complete with the same files; `resumed`: finished an interrupted load. */
  readonly outcome: 'ingested' | 'resumed' | 'unchanged' | 'grown';
  /** `grown`: what the files gained, loaded now (the stored rows kept their splits). */
  readonly added?: { readonly users: number; readonly items: number; readonly entities: number; readonly interactions: number };
  readonly counts: DatasetCounts;
  readonly duplicates: ParsedDataset['duplicates'];
  readonly splitSeed: number;
  readonly parseSeconds: number;
  readonly phases: readonly PhaseTiming[];
  readonly seconds: number;
}

/** Parses a dataset directory (kgat, kgcn, recbole, mind), then writes it as ingestParsedDataset does. */
export async function ingestDataset(runner: QueryRunner, options: IngestOptions): Promise<IngestReport> {
  const began = Date.now();
  const dir = path.resolve(options.dir);
  const name = requireName(options.name ?? path.basename(dir));
  const parsed = await parseDataset(dir, options.format === undefined ? {} : { format: options.format });
  return writeParsed(runner, parsed, { ...options, name, source: dir, parseSeconds: (Date.now() - began) / 1000 }, began);
}

/**
 * Parses the CSV/TSV files a mapping names (paths relative to `mappingPath`,
 * the mapping file, which the checksum covers with every file it names),
 * then writes them as ingestParsedDataset does, under the mapping's name,
 * split rule and seed.
 */
export async function ingestCsvMapping(
  runner: QueryRunner,
  mapping: CsvMapping,
  mappingPath: string,
  options: CsvIngestOptions = {},
): Promise<IngestReport> {
  const began = Date.now();
  const file = path.resolve(mappingPath);
  const name = requireName(options.name ?? mapping.name);
  const parsed = await parseCsvMapping(mapping, file, options.log === undefined ? {} : { log: options.log });
  return writeParsed(runner, parsed, { ...options, name, source: file, splitSeed: mapping.split.seed, parseSeconds: (Date.now() - began) / 1000 }, began);
}

/**
 * Writes a dataset that is already parsed and validated. The guarantees of
 * this module's header hold for any parser: nothing is written when the
 * (:Dataset) of that name holds other files (unless `replace`), phases are
 * merged and marked one by one, 'complete' only when Neo4j's counts equal the
 * parsed ones, and a second run on the same files is a no-op.
 */
export async function ingestParsedDataset(runner: QueryRunner, parsed: ParsedDataset, options: ParsedIngestOptions): Promise<IngestReport> {
  return writeParsed(runner, parsed, { ...options, name: requireName(options.name) }, Date.now());
}

function requireName(name: string): string {
  if (name.trim() === '') throw new KgnegError('a dataset needs a non-empty name', { hint: 'pass --name NAME', exitCode: 2 });
  return name;
}

async function writeParsed(runner: QueryRunner, parsed: ParsedDataset, options: ParsedIngestOptions, began: number): Promise<IngestReport> {
  const log = options.log ?? (() => undefined);
  const { name, source } = options;
  const parseSeconds = options.parseSeconds ?? 0;
  log(`parsed ${parsed.format} dataset in ${parseSeconds.toFixed(1)}s: ${describeParsed(parsed)}`);
  const checksum = datasetChecksum(parsed);
  const graphChecksum = datasetChecksum(parsed, parsed.itemAttributeFiles);

  let existing = await getDataset(runner, name);
  // A graph registered in place by a mapping ("source": "graph") is the user's own data: never merged into or deleted here.
  if (existing && (existing.format as string) === 'graph') {
    throw new KgnegError(`dataset '${name}' is a graph registered in place by a mapping (${existing.sourceDir}); files cannot be ingested under its name`, {
      hint: 'ingest under another name',
      exitCode: 2,
    });
  }
  // Phases to write again although done: the items, when only files that add
  // item properties differ (a .item added, edited or removed; a dataset
  // ingested before kgneg read .item files has no graphChecksum, and its
  // checksum then covers exactly the graph's files).
  let rewrite: IngestPhase[] = [];
  let growth: Growth | undefined;
  const grownFrom = (existing as (DatasetRecord & { grownFrom?: string }) | undefined)?.grownFrom;
  if (existing && existing.checksum !== checksum) {
    if ((existing.graphChecksum ?? existing.checksum) === graphChecksum) {
      log(`dataset '${name}': the same graph, other item properties (${describeAttributeFiles(parsed)}); rewriting its items`);
      rewrite = ['items'];
    } else if (!options.replace) {
      if (existing.status !== 'complete' && !grownFrom) {
        throw new KgnegError(`dataset '${name}' in Neo4j is half-loaded from other files (${existing.sourceDir})`, {
          hint: 'finish it with the files it was started with, or pass --replace to delete it first',
        });
      }
      // Files that gained rows: only what is new is loaded (refused when rows were lost or changed).
      growth = await planGrowth(runner, existing, parsed, checksum);
      log(`dataset '${name}': the files gained ${growth.newInteractions.length} interactions (${growth.stored} stored keep their splits); loading what is new`);
    } else {
      log(`deleting the old dataset '${name}'`);
      // Its runs, write-back and indexes go too: a trained dataset's CURRENT_RUN would otherwise keep its record alive.
      await forgetDataset(runner, name);
      existing = undefined;
    }
  }
  if (existing?.status === 'complete' && options.splitSeed !== undefined && options.splitSeed !== existing.splitSeed) {
    throw new KgnegError(`dataset '${name}' is already loaded with split seed ${existing.splitSeed}`, {
      hint: `apply another seed with \`npm run split -- --name ${name} --seed ${options.splitSeed}\``,
    });
  }
  // A growth killed half-way: the same files again, the same new rows.
  if (!growth && existing && existing.status !== 'complete' && existing.checksum === checksum && grownFrom) {
    growth = await planGrowth(runner, existing, parsed, checksum);
    log(`dataset '${name}': resuming a growth of ${growth.newInteractions.length} interactions`);
  }
  if (existing?.status === 'complete' && rewrite.length === 0 && !growth) {
    return {
      name,
      format: parsed.format,
      outcome: 'unchanged',
      counts: await countDatasetGraph(runner, name),
      duplicates: parsed.duplicates,
      splitSeed: existing.splitSeed,
      parseSeconds,
      phases: [],
      seconds: (Date.now() - began) / 1000,
    };
  }
  // A resumed load keeps the seed it started with: phases already written used it.
  if (existing && options.splitSeed !== undefined && options.splitSeed !== existing.splitSeed) {
    throw new KgnegError(`dataset '${name}' is half-loaded with split seed ${existing.splitSeed}`, {
      hint: 'finish it with the same seed (or none), then re-split with `npm run split`',
    });
  }
  const splitSeed = existing?.splitSeed ?? options.splitSeed ?? DEFAULT_SPLIT_SEED;
  // A growth has split its rows already: the stored ones as stored, the new ones by the rule.
  if (!growth) assignSplits(parsed.splitRule, splitSeed, parsed.interactions, parsed.exposures);

  // A new growth writes every phase again, with only its new rows; a resumed one skips what it finished.
  const startingGrowth = growth !== undefined && existing?.checksum !== checksum;
  const done = new Set(startingGrowth ? [] : (existing?.completedPhases ?? []).filter((phase) => !(rewrite as readonly string[]).includes(phase)));
  await beginDataset(runner, name, {
    format: parsed.format,
    sourceDir: source,
    checksum,
    graphChecksum,
    // Written with the new checksum, so that a rewrite killed half-way is resumed, not skipped.
    ...(rewrite.length === 0 && !startingGrowth ? {} : { completedPhases: [...done] }),
    ...(startingGrowth ? { grownFrom: existing!.checksum } : {}),
    splitRule: parsed.splitRule,
    splitSeed: intParam(splitSeed),
    relationless: parsed.relationless,
    relationsJson: JSON.stringify(parsed.relations),
    duplicatesJson: JSON.stringify(parsed.duplicates),
    idTypesJson: JSON.stringify(parsed.idTypes),
  });
  const phases: PhaseTiming[] = [];
  for (const phase of INGEST_PHASES) {
    const rows = growth ? growthRows(parsed, phase, growth) : phaseRows(parsed, phase);
    if (done.has(phase)) {
      phases.push({ phase, rows: rows.length, seconds: 0, skipped: true });
      continue;
    }
    const phaseBegan = Date.now();
    options.onProgress?.({ phase, rowsDone: 0, rowsTotal: rows.length });
    await runner.writeBatches(`ingest/merge-${phase}`, rows, {
      params: { dataset: name },
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      onProgress: (p) => options.onProgress?.({ phase, rowsDone: p.rowsDone, rowsTotal: p.rowsTotal }),
    });
    await markPhaseDone(runner, name, phase);
    phases.push({ phase, rows: rows.length, seconds: (Date.now() - phaseBegan) / 1000, skipped: false });
  }

  const counts = await countDatasetGraph(runner, name);
  assertCountsMatch(name, parsed, counts);
  await completeDataset(runner, name, counts);
  return {
    name,
    format: parsed.format,
    outcome: growth ? 'grown' : existing ? 'resumed' : 'ingested',
    ...(growth
      ? { added: { users: growth.newUserIds.size, items: growth.newItemIds.size, entities: growth.newEntityIds.size, interactions: growth.newInteractions.length } }
      : {}),
    counts,
    duplicates: parsed.duplicates,
    splitSeed,
    parseSeconds,
    phases,
    seconds: (Date.now() - began) / 1000,
  };
}

/** The counts a complete load must produce, from the parsed files alone. */
export function expectedCounts(parsed: ParsedDataset): Omit<DatasetCounts, 'trainInteractions' | 'validInteractions' | 'testInteractions'> {
  const relationIds = new Set(parsed.triples.map((t) => t.relationId));
  return {
    users: parsed.users.length,
    items: parsed.items.length,
    entities: parsed.items.filter((i) => i.entityId !== undefined).length + parsed.entities.length,
    interactions: parsed.interactions.length,
    exposures: parsed.exposures.length,
    exposureOccurrences: parsed.exposures.reduce((sum, e) => sum + e.count, 0),
    triples: parsed.triples.length,
    relations: relationIds.size,
  };
}

function assertCountsMatch(name: string, parsed: ParsedDataset, counts: DatasetCounts): void {
  const expected = expectedCounts(parsed);
  const wrong = Object.entries(expected).filter(([key, value]) => counts[key as keyof DatasetCounts] !== value);
  if (wrong.length > 0) {
    const detail = wrong.map(([key, value]) => `${key} ${counts[key as keyof DatasetCounts]} in Neo4j, ${value} in the files`).join('; ');
    throw new KgnegError(`dataset '${name}' did not load completely: ${detail}`, {
      hint: 'it stays marked as loading; this is a bug in kgneg if it repeats, please report it',
    });
  }
}

/**
 * A growth's rows: the new users, items, entities and interactions only
 * (marked with the files' checksum); exposures and triples are merged again
 * whole, which leaves the stored ones as they are.
 */
function growthRows(parsed: ParsedDataset, phase: IngestPhase, growth: Growth): unknown[] {
  switch (phase) {
    case 'users':
      return phaseRows({ ...parsed, users: parsed.users.filter((u) => growth.newUserIds.has(u.userId)) }, phase);
    case 'items':
      return phaseRows({ ...parsed, items: parsed.items.filter((i) => growth.newItemIds.has(i.itemId)) }, phase);
    case 'entities':
      return phaseRows({ ...parsed, entities: parsed.entities.filter((e) => growth.newEntityIds.has(e)) }, phase);
    case 'interactions':
      return phaseRows({ ...parsed, interactions: [...growth.newInteractions] }, phase).map((row) => ({ ...(row as object), added: growth.checksum }));
    default:
      return phaseRows(parsed, phase);
  }
}

function phaseRows(parsed: ParsedDataset, phase: IngestPhase): unknown[] {
  switch (phase) {
    case 'users':
      return parsed.users.map((u) => ({ id: idParam(u.userId), orgId: u.orgId ?? null }));
    case 'items':
      return parsed.items.map((i) => ({
        id: idParam(i.itemId),
        entityId: i.entityId === undefined ? null : idParam(i.entityId),
        orgId: i.orgId ?? null,
        attributes: attributesParam(i.attributes),
      }));
    case 'entities':
      return parsed.entities.map(idParam);
    case 'interactions':
      return parsed.interactions.map((r) => ({
        key: interactionKey(r),
        u: idParam(r.userId),
        i: idParam(r.itemId),
        split: r.split,
        ts: r.timestamp ?? null,
        rating: r.rating ?? null,
        imp: r.impressionId === undefined ? null : idParam(r.impressionId),
        src: r.source ?? null,
        added: null,
      }));
    case 'exposures':
      return parsed.exposures.map((r) => ({
        key: exposureKey(r),
        u: idParam(r.userId),
        i: idParam(r.itemId),
        imp: idParam(r.impressionId),
        ts: r.timestamp ?? null,
        count: intParam(r.count),
        split: r.split,
      }));
    case 'triples': {
      const names = new Map(parsed.relations.map((r) => [r.relationId, r.name]));
      return parsed.triples.map((t) => ({
        key: tripleKey(t),
        h: idParam(t.headId),
        t: idParam(t.tailId),
        r: idParam(t.relationId),
        name: names.get(t.relationId) ?? String(t.relationId),
        count: t.count === undefined ? null : intParam(t.count),
      }));
    }
  }
}

/** The attributes as merge-items.cypher takes them: the year as a Neo4j integer. */
function attributesParam(attributes: ItemAttributes | undefined): Record<string, unknown> {
  if (attributes === undefined) return {};
  const { year, ...rest } = attributes;
  return year === undefined ? rest : { ...rest, year: intParam(year) };
}

function describeAttributeFiles(parsed: ParsedDataset): string {
  const names = parsed.itemAttributeFiles.map((file) => path.basename(file));
  return names.length === 0 ? 'none read now' : `read now: ${names.join(', ')}`;
}

/**
 * Identifies the input: the format and every file's name and content hash,
 * leaving out the files in `skip` (the graph's checksum leaves out
 * itemAttributeFiles). A dataset without such files has one checksum for both.
 */
export function datasetChecksum(parsed: ParsedDataset, skip: readonly string[] = []): string {
  const hash = createHash('sha256').update(parsed.format);
  const files = parsed.sourceFiles.filter((file) => !skip.includes(file.path));
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(`\n${path.basename(file.path)} ${file.sha256}`);
  }
  return hash.digest('hex');
}

function describeParsed(parsed: ParsedDataset): string {
  const d = parsed.duplicates;
  return (
    `${parsed.users.length} users, ${parsed.items.length} items, ${parsed.entities.length} other entities, ` +
    `${parsed.interactions.length} interactions, ${parsed.exposures.length} exposures, ${parsed.triples.length} triples` +
    (d.interactions + d.exposures + d.triples > 0
      ? ` (duplicate lines folded: ${d.interactions} interactions, ${d.exposures} exposures, ${d.triples} triples)`
      : '')
  );
}
