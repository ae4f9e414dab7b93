/**
 * Counts computed straight from the dataset files, the simplest way possible,
 * without kgneg's parsers: the reference the graph counts are checked against.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface FileCounts {
  users: number;
  items: number;
  entities: number;
  interactions: number;
  trainInteractions?: number;
  testInteractions?: number;
  exposures: number;
  exposureOccurrences: number;
  triples: number;
  relations: number;
}

const lines = (file: string): string[] =>
  readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');

export function kgatCounts(dir: string): FileCounts {
  const users = new Set<string>();
  const items = new Set<string>();
  const pairs = { train: new Set<string>(), test: new Set<string>() };
  for (const split of ['train', 'test'] as const) {
    for (const line of lines(path.join(dir, `${split}.txt`))) {
      const [user, ...rest] = line.trim().split(/\s+/);
      users.add(user!);
      for (const item of rest) {
        items.add(item);
        pairs[split].add(`${user} ${item}`);
      }
    }
  }
  for (const [file, set] of [['user_list.txt', users], ['item_list.txt', items]] as const) {
    if (existsSync(path.join(dir, file))) for (const line of lines(path.join(dir, file)).slice(1)) set.add(line.split(/\s+/)[1]!);
  }
  const edges = new Set<string>();
  const entities = new Set<string>(items);
  for (const line of lines(path.join(dir, 'item_entity_edges.txt'))) {
    const [h, t] = line.split(/\s+/);
    edges.add(`${h} ${t}`);
    entities.add(h!);
    entities.add(t!);
  }
  return {
    users: users.size,
    items: items.size,
    entities: entities.size,
    interactions: pairs.train.size + pairs.test.size,
    trainInteractions: pairs.train.size,
    testInteractions: pairs.test.size,
    exposures: 0,
    exposureOccurrences: 0,
    triples: edges.size,
    relations: edges.size > 0 ? 1 : 0,
  };
}

export function kgcnCounts(dir: string): FileCounts {
  const users = new Set<string>();
  const items = new Set<string>();
  const positives = new Set<string>();
  for (const line of lines(path.join(dir, 'ratings_final.txt'))) {
    const [user, item, label] = line.split('\t');
    users.add(user!);
    items.add(item!);
    if (label!.trim() === '1') positives.add(`${user} ${item}`);
  }
  for (const line of lines(path.join(dir, 'item_index2entity_id.txt'))) items.add(line.split('\t')[1]!.trim());
  const triples = new Set<string>();
  const relations = new Set<string>();
  const entities = new Set<string>(items);
  for (const line of lines(path.join(dir, 'kg_final.txt'))) {
    const [h, r, t] = line.split('\t').map((x) => x.trim());
    triples.add(`${h} ${r} ${t}`);
    relations.add(r!);
    entities.add(h!);
    entities.add(t!);
  }
  return {
    users: users.size,
    items: items.size,
    entities: entities.size,
    interactions: positives.size,
    exposures: 0,
    exposureOccurrences: 0,
    triples: triples.size,
    relations: relations.size,
  };
}

export function recboleCounts(dir: string, name: string): FileCounts {
  const body = (file: string) => lines(path.join(dir, file)).slice(1).map((l) => l.split('\t'));
  const users = new Set<string>();
  const items = new Set<string>();
  const pairs = new Set<string>();
  for (const [user, item] of body(`${name}.inter`)) {
    users.add(user!);
    items.add(item!);
    pairs.add(JSON.stringify([user, item]));
  }
  const linked = new Map<string, string>();
  for (const [item, entity] of body(`${name}.link`)) {
    items.add(item!);
    linked.set(entity!, item!);
  }
  const triples = new Set<string>();
  const relations = new Set<string>();
  const kgNodes = new Set<string>();
  for (const [h, r, t] of body(`${name}.kg`)) {
    triples.add(JSON.stringify([h, r, t]));
    relations.add(r!);
    kgNodes.add(h!);
    kgNodes.add(t!);
  }
  const unlinked = [...kgNodes].filter((e) => !linked.has(e)).length;
  return {
    users: users.size,
    items: items.size,
    entities: linked.size + unlinked,
    interactions: pairs.size,
    exposures: 0,
    exposureOccurrences: 0,
    triples: triples.size,
    relations: relations.size,
  };
}

export function mindCounts(dir: string): FileCounts {
  const users = new Set<string>();
  const items = new Set<string>();
  const history = new Set<string>();
  const clicks = new Set<string>();
  const exposures = new Set<string>();
  let occurrences = 0;
  for (const line of lines(path.join(dir, 'behaviors.tsv'))) {
    const [impression, user, , hist, shown] = line.split('\t');
    users.add(user!);
    for (const item of hist!.split(' ').filter(Boolean)) {
      items.add(item);
      history.add(`${user} ${item}`);
    }
    for (const token of shown!.trim().split(' ').filter(Boolean)) {
      const item = token.slice(0, -2);
      items.add(item);
      if (token.endsWith('-1')) clicks.add(`${user} ${item} ${impression}`);
      else {
        exposures.add(`${user} ${item} ${impression}`);
        occurrences += 1;
      }
    }
  }
  return {
    users: users.size,
    items: items.size,
    entities: 0,
    interactions: history.size + clicks.size,
    exposures: exposures.size,
    exposureOccurrences: occurrences,
    triples: 0,
    relations: 0,
  };
}
