/**
 * `npm run migrate -- --mapping FILE` for a graph already in Neo4j: the
 * mapping is checked against the live database, its interactions are read
 * and split once to report the same statistics as an ingested dataset, and a
 * (:Dataset {format: 'graph'}) record holds the mapping and its checksum.
 * The user's nodes and relationships are only read.
 */
import type { DatasetCounts, DatasetRecord } from '../datasets/dataset-repository.js';
import { storedGraphMapping } from '../training-data.js';
import { getDataset } from '../datasets/dataset-repository.js';
import type { QueryRunner } from '../query-runner.js';
import { intParam } from '../values.js';
import { checkMappedGraph, mappingChecksum, readMappedInteractions, resolveGraphMapping, type MappedGraph } from './graph-source.js';
import { QuotedName } from './names.js';
import { MappingError, type GraphMapping } from './schema.js';

export interface MappingReport {
  readonly name: string;
  readonly outcome: 'registered' | 'unchanged' | 'replaced';
  readonly counts: DatasetCounts;
  readonly folded: number;
  readonly belowMinRating: number;
  readonly seconds: number;
}

export async function registerGraphMapping(
  runner: QueryRunner,
  mapping: GraphMapping,
  options: { readonly file: string; readonly replace?: boolean; readonly forget?: (name: string) => Promise<void> },
): Promise<MappingReport> {
  const began = Date.now();
  const graph = await resolveGraphMapping(runner, mapping, options.file);
  const checksum = mappingChecksum(mapping);
  const existing = await getDataset(runner, mapping.name);
  if (existing && existing.format !== ('graph' as string)) {
    throw new MappingError(`${options.file}: $.name: '${mapping.name}' is a dataset ingested from files (${existing.sourceDir})`, 'give the mapping another name');
  }
  const changed = existing !== undefined && existing.checksum !== checksum;
  if (changed && !options.replace) {
    throw new MappingError(`${options.file}: dataset '${mapping.name}' is registered with another mapping`, 'pass --replace to replace it (its runs and write-back are removed first), or give this mapping another name');
  }
  await checkMappedGraph(runner, graph, options.file);
  const { records, folded, belowMinRating } = await readMappedInteractions(runner, graph);
  if (records.length === 0) {
    throw new MappingError(`${options.file}: $.interactions: no ${graph.interactionTypes.map((t) => t.name).join('|')} relationships from ${graph.userLabel.name} to ${graph.itemLabel.name} nodes with both ids${belowMinRating ? ` rated at least minRating (${belowMinRating} below it)` : ''}`);
  }
  const counts = await countMapped(runner, graph, records);
  if (existing && !changed) {
    return { name: mapping.name, outcome: 'unchanged', counts, folded, belowMinRating, seconds: (Date.now() - began) / 1000 };
  }
  if (changed) await options.forget?.(mapping.name);
  await runner.write('mapped/register-dataset', {
    name: mapping.name,
    props: {
      format: 'graph',
      sourceDir: options.file,
      checksum,
      mappingJson: JSON.stringify(mapping),
      splitRule: mapping.split.rule,
      splitSeed: intParam(mapping.split.seed),
      relationless: false,
      relationsJson: JSON.stringify(mapping.kg.map((k, relationId) => ({ relationId, name: k.type }))),
      duplicatesJson: JSON.stringify({ interactions: folded, exposures: 0, triples: 0 }),
      ...Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, intParam(value)])),
    },
  });
  return { name: mapping.name, outcome: changed ? 'replaced' : 'registered', counts, folded, belowMinRating, seconds: (Date.now() - began) / 1000 };
}

/** The counts of a registered mapped graph as it is now, read through its mapping. */
export async function countMappedDataset(runner: QueryRunner, record: DatasetRecord): Promise<DatasetCounts> {
  const graph = await resolveGraphMapping(runner, storedGraphMapping(record), `the mapping of dataset '${record.name}'`);
  const { records } = await readMappedInteractions(runner, graph);
  return countMapped(runner, graph, records);
}

async function countMapped(runner: QueryRunner, graph: MappedGraph, records: ReadonlyArray<{ userId: unknown; itemId: unknown; split: string | null }>): Promise<DatasetCounts> {
  const users = new Set(records.map((r) => r.userId)).size;
  const items = new Set(records.map((r) => r.itemId)).size;
  const inSplit = (split: string) => records.filter((r) => r.split === split).length;
  const relationships = async (types: readonly QuotedName[]) =>
    types.length === 0 ? 0 : Number((await runner.read<{ relationships: number }>('mapped/count-relationships', {}, { types: QuotedName.list(types) }))[0]?.relationships ?? 0);
  return {
    users,
    items,
    entities: 0,
    interactions: records.length,
    trainInteractions: inSplit('train'),
    validInteractions: inSplit('valid'),
    testInteractions: inSplit('test'),
    exposures: await relationships(graph.exposureTypes),
    exposureOccurrences: 0,
    triples: await relationships(graph.kgTypes),
    relations: graph.kgTypes.length,
  };
}
