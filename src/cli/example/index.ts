/**
 * `npm run example -- movies [--dataset DIR]`: builds, from the ml-100k files
 * in ../shared/datasets/ml100k-recbole, the graph a movie application would
 * keep in Neo4j: (:Viewer)-[:RATED {stars, at}]->(:Movie {title, year,
 * genres}), and facts from the knowledge graph as typed relationships from
 * movies to (:Person), (:Genre), (:Award), (:Country), ... Then it prints the
 * mapping that describes that graph to kgneg and the commands that train on
 * it in place. Building it again changes nothing (MERGE).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDataset } from '../../graph/datasets/parse.js';
import { KgnegError } from '../../graph/errors.js';
import { QuotedName } from '../../graph/mapping/names.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { option } from '../../base/options.js';
import { defineCommand } from '../command-options.js';
import { HelpRequested } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MOVIES_DATASET = path.resolve(REPO_ROOT, '../shared/datasets/ml100k-recbole');
export const MOVIES_MAPPING = path.join('examples', 'movies', 'mapping.json');

/**
 * The facts an application would store, one per Freebase relation that starts
 * at a film (the .kg file also holds each reversed: those are the same facts).
 */
const FACTS: Readonly<Record<string, { readonly type: string; readonly tail: string }>> = {
  'film.film.directed_by': { type: 'DIRECTED_BY', tail: 'Person' },
  'film.film.actor': { type: 'STARRING', tail: 'Person' },
  'film.film.written_by': { type: 'WRITTEN_BY', tail: 'Person' },
  'film.film.produced_by': { type: 'PRODUCED_BY', tail: 'Person' },
  'film.film.cinematography': { type: 'SHOT_BY', tail: 'Person' },
  'film.film.genre': { type: 'IN_GENRE', tail: 'Genre' },
  'film.film.award_nomination': { type: 'NOMINATED_FOR', tail: 'Award' },
  'film.film.award_won': { type: 'WON', tail: 'Award' },
  'film.film.language': { type: 'IN_LANGUAGE', tail: 'Language' },
  'film.film.country': { type: 'FROM_COUNTRY', tail: 'Country' },
  'film.film.production_companies': { type: 'MADE_BY', tail: 'Company' },
  'film.film.rating': { type: 'RATED_AS', tail: 'ContentRating' },
  'film.film.subjects': { type: 'ABOUT', tail: 'Subject' },
  'film.film.sequel': { type: 'SEQUEL', tail: 'Film' },
  'film.film.prequel': { type: 'PREQUEL', tail: 'Film' },
};

/** Every option of `npm run example -- movies`, declared once. */
export const EXAMPLE_OPTIONS = {
  dataset: option.string('the ml-100k RecBole files', MOVIES_DATASET, { meta: 'DIR' }),
} as const;

export const EXAMPLE_COMMAND = defineCommand({ name: 'example', options: EXAMPLE_OPTIONS, synopsis: 'movies [options]' });

export async function exampleCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') throw new HelpRequested(EXAMPLE_COMMAND.help());
  if (name !== 'movies') {
    throw new KgnegError(`example: ${name === undefined ? 'name an example' : `unknown example '${name}'`}`, { hint: 'npm run example -- movies', exitCode: 2 });
  }
  const { values, neo4j: config } = EXAMPLE_COMMAND.parse(rest);
  const dir = path.resolve(values.dataset);
  if (!existsSync(dir)) throw new KgnegError(`example: ${dir} does not exist`, { hint: 'pass --dataset DIR with ml-100k.inter, .item, .user, .kg and .link', exitCode: 2 });
  const connection = await connectOrStartLocal(config);
  try {
    const runner = new QueryRunner(connection);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    const counts = await buildMovieGraph(runner, dir, print);
    print(`movie graph in Neo4j: ${counts.viewers} :Viewer, ${counts.movies} :Movie, ${counts.ratings} :RATED, ${counts.facts} facts (${counts.types} relationship types) in ${counts.seconds.toFixed(1)}s`);
    print('');
    print(`its mapping (${MOVIES_MAPPING}):`);
    print(readFileSync(path.join(REPO_ROOT, MOVIES_MAPPING), 'utf8').trimEnd());
    print('');
    print('next:');
    print(`  npm run migrate -- --mapping ${MOVIES_MAPPING}        register it in place (nothing is copied)`);
    print('  npm run train -- --dataset movies --sampler dns        train and write back onto :Viewer and :Movie');
    print("  npm run recommend -- --dataset movies --user 1         a viewer's top 10 with titles");
  } finally {
    await connection.close();
  }
  return 0;
}

export interface MovieGraphCounts {
  readonly viewers: number;
  readonly movies: number;
  readonly ratings: number;
  readonly facts: number;
  readonly types: number;
  readonly seconds: number;
}

/** Writes the example graph (idempotent): viewers, movies, ratings, and the facts of FACTS. */
export async function buildMovieGraph(runner: QueryRunner, dir: string, print: (line: string) => void = () => undefined): Promise<MovieGraphCounts> {
  const began = Date.now();
  const parsed = await parseDataset(dir, { format: 'recbole' });
  for (const name of ['create-viewer-constraint', 'create-movie-constraint']) await runner.autoCommit(`example/${name}`);
  const viewerInfo = readUserFile(dir);
  const viewers = parsed.users.map((u) => ({ id: String(u.userId), ...(viewerInfo.get(String(u.userId)) ?? { age: null, gender: null, occupation: null }) }));
  await runner.writeBatches('example/merge-viewers', viewers);
  const movies = parsed.items.map((i) => ({
    id: String(i.itemId),
    title: i.attributes?.title ?? null,
    year: i.attributes?.year ?? null,
    genres: i.attributes?.genres ?? null,
    freebaseId: i.entityId === undefined ? null : String(i.entityId),
  }));
  await runner.writeBatches('example/merge-movies', movies);
  print(`  ${viewers.length} viewers, ${movies.length} movies`);
  const ratings = parsed.interactions.map((r) => ({ u: String(r.userId), i: String(r.itemId), stars: r.rating ?? null, t: Math.round(r.timestamp ?? 0) }));
  await runner.writeBatches('example/merge-ratings', ratings);
  print(`  ${ratings.length} ratings`);
  // A fact's head is a movie when its entity is linked to one, else a (:Film) of the knowledge graph.
  const linked = new Set(movies.map((m) => m.freebaseId).filter((id): id is string => id !== null));
  const relationName = new Map(parsed.relations.map((r) => [String(r.relationId), r.name]));
  const groups = new Map<string, { headLabel: string; tailLabel: string; type: string; rows: Array<{ h: string; t: string }> }>();
  for (const triple of parsed.triples) {
    const fact = FACTS[relationName.get(String(triple.relationId)) ?? String(triple.relationId)];
    if (!fact) continue;
    const h = String(triple.headId);
    const t = String(triple.tailId);
    const headLabel = linked.has(h) ? 'Movie' : 'Film';
    const tailLabel = fact.tail === 'Film' && linked.has(t) ? 'Movie' : fact.tail;
    const key = `${headLabel}|${fact.type}|${tailLabel}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { headLabel, tailLabel, type: fact.type, rows: [] }));
    group.rows.push({ h, t });
  }
  for (const label of new Set([...groups.values()].flatMap((g) => [g.headLabel, g.tailLabel]))) {
    if (label === 'Movie') continue;
    await runner.autoCommit('example/create-entity-index', {}, { label: QuotedName.checked(label), index: `kgneg_example_${label.toLowerCase()}` });
  }
  let facts = 0;
  for (const group of groups.values()) {
    await runner.writeBatches('example/merge-facts', group.rows, {
      slots: { headLabel: QuotedName.checked(group.headLabel), tailLabel: QuotedName.checked(group.tailLabel), type: QuotedName.checked(group.type) },
      concurrency: 1,
    });
    facts += group.rows.length;
  }
  return { viewers: viewers.length, movies: movies.length, ratings: ratings.length, facts, types: new Set([...groups.values()].map((g) => g.type)).size, seconds: (Date.now() - began) / 1000 };
}

/** ml-100k.user: age, gender and occupation per viewer (optional). */
function readUserFile(dir: string): Map<string, { age: number | null; gender: string | null; occupation: string | null }> {
  const file = path.join(dir, 'ml-100k.user');
  const out = new Map<string, { age: number | null; gender: string | null; occupation: string | null }>();
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).slice(1);
  for (const line of lines) {
    const [id, age, gender, occupation] = line.split('\t');
    if (!id) continue;
    out.set(id, { age: age && /^\d+$/.test(age) ? Number(age) : null, gender: gender ?? null, occupation: occupation ?? null });
  }
  return out;
}
