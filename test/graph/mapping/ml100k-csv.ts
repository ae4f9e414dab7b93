/**
 * Writes ml-100k (the RecBole atomic files in /work/shared/datasets) as plain
 * CSV files and a mapping into a temp dir, for comparing the CSV path with
 * the RecBole one. The KG is ml-100k.kg joined with ml-100k.link: an entity
 * linked to an item is written as the item's id, which is how a CSV mapping
 * aligns items and entities (identity) and how RecBole's items end up in the
 * graph (one node with both labels, read back by its item id).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

async function atomicRows(file: string): Promise<{ names: string[]; rows: string[][] }> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const names = (lines[0] ?? '').split('\t').map((column) => column.slice(0, column.lastIndexOf(':')));
  return { names, rows: lines.slice(1).map((line) => line.split('\t')) };
}

export interface Ml100kCsv {
  readonly dir: string;
  readonly mappingPath: string;
  readonly mapping: Record<string, unknown>;
}

/**
 * ratings.csv (user_id,item_id,rating,timestamp), movies.csv (item_id,
 * movie_title,release_year,class: the title column is mapped, the others are
 * ignored) and facts.csv (head,relation,tail), with a mapping asking for
 * `rule` and `seed`.
 */
export async function writeMl100kCsv(recboleDir: string, split: { rule: string; seed: number }, name = 'ml100k-csv'): Promise<Ml100kCsv> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kgneg-ml100k-csv-'));
  const base = path.join(recboleDir, 'ml-100k');
  const inter = await atomicRows(`${base}.inter`);
  const item = await atomicRows(`${base}.item`);
  const kg = await atomicRows(`${base}.kg`);
  const link = await atomicRows(`${base}.link`);

  const at = (names: string[], name: string): number => {
    const index = names.indexOf(name);
    if (index === -1) throw new Error(`no ${name} column in ${names.join(',')}`);
    return index;
  };
  const pick = (table: { names: string[]; rows: string[][] }, columns: string[]): string[] => [
    csvLine(columns),
    ...table.rows.map((row) => csvLine(columns.map((column) => row[at(table.names, column)] ?? ''))),
  ];

  const itemOfEntity = new Map(link.rows.map((row) => [row[at(link.names, 'entity_id')] ?? '', row[at(link.names, 'item_id')] ?? '']));
  const node = (entity: string): string => itemOfEntity.get(entity) ?? entity;
  const facts = [
    csvLine(['head', 'relation', 'tail']),
    ...kg.rows.map((row) => csvLine([node(row[0] ?? ''), row[1] ?? '', node(row[2] ?? '')])),
  ];

  await writeFile(path.join(dir, 'ratings.csv'), `${pick(inter, ['user_id', 'item_id', 'rating', 'timestamp']).join('\n')}\n`);
  await writeFile(path.join(dir, 'movies.csv'), `${pick(item, ['item_id', 'movie_title', 'release_year', 'class']).join('\n')}\n`);
  await writeFile(path.join(dir, 'facts.csv'), `${facts.join('\n')}\n`);
  const mapping = {
    name,
    source: 'csv',
    interactions: { file: 'ratings.csv', user: 'user_id', item: 'item_id', time: 'timestamp', rating: 'rating' },
    items: { file: 'movies.csv', id: 'item_id', title: 'movie_title' },
    kg: { file: 'facts.csv', head: 'head', relation: 'relation', tail: 'tail' },
    split,
  };
  const mappingPath = path.join(dir, 'ml100k.mapping.json');
  await writeFile(mappingPath, `${JSON.stringify(mapping, null, 2)}\n`);
  return { dir, mappingPath, mapping };
}
