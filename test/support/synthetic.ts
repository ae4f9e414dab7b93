/** Small datasets written by tests, in the formats kgneg reads. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Rng } from '../../src/base/rng.js';

/** KGCN layout: `users` users with `perUser` positives each among `items` items, with a block structure to learn. */
export function syntheticKgcn(users: number, items: number, perUser: number, seed = 1, kgEntities = 0): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-synthetic-'));
  const rng = new Rng(seed);
  const lines: string[] = [];
  const groups = 4;
  for (let u = 0; u < users; u += 1) {
    const group = u % groups;
    const chosen = new Set<number>();
    while (chosen.size < perUser) {
      // Mostly items of the user's group, sometimes any item.
      const item = rng.nextFloat() < 0.8 ? group + groups * rng.nextInt(Math.floor(items / groups)) : rng.nextInt(items);
      chosen.add(item);
    }
    for (const item of chosen) lines.push(`${u}\t${item}\t1`);
  }
  writeFileSync(path.join(dir, 'ratings_final.txt'), `${lines.join('\n')}\n`);
  // By default a two-triple KG; with kgEntities, item i links to entities items + (i % kgEntities) and items + ((3i + 1) % kgEntities).
  const kg =
    kgEntities === 0
      ? [`0\t0\t${items}`, `1\t1\t${items + 1}`]
      : Array.from({ length: items }, (_, i) => [`${i}\t0\t${items + (i % kgEntities)}`, `${i}\t1\t${items + ((3 * i + 1) % kgEntities)}`]).flat();
  writeFileSync(path.join(dir, 'kg_final.txt'), `${[...new Set(kg)].join('\n')}\n`);
  return dir;
}

export interface SyntheticImpression {
  readonly id: number;
  readonly user: string;
  readonly history: readonly string[];
  readonly shown: ReadonlyArray<{ readonly item: string; readonly clicked: boolean }>;
}

/**
 * MIND layout (behaviors.tsv): `impressions` logs of `users` users over
 * `items` news; users of group g click mostly news of group g and are shown
 * news of every group. Returns the directory and the logs as written.
 */
export function syntheticMind(impressions: number, users: number, items: number, seed = 1): { dir: string; logs: SyntheticImpression[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-synthetic-mind-'));
  const rng = new Rng(seed);
  const groups = 4;
  const news = (k: number) => `N${k}`;
  const histories = Array.from({ length: users }, (_, u) => {
    const set = new Set<string>();
    while (set.size < 6) set.add(news(u % groups + groups * rng.nextInt(Math.floor(items / groups))));
    return [...set];
  });
  const logs: SyntheticImpression[] = [];
  for (let m = 0; m < impressions; m += 1) {
    const u = m % users;
    const shown = new Map<string, boolean>();
    const size = 6 + rng.nextInt(10);
    while (shown.size < size) {
      const k = rng.nextInt(items);
      shown.set(news(k), k % groups === u % groups && rng.nextFloat() < 0.5);
    }
    // Every log needs a click and a non-click for AUC.
    const first = [...shown.keys()][0]!;
    shown.set(first, true);
    const last = [...shown.keys()][shown.size - 1]!;
    shown.set(last, false);
    logs.push({ id: m + 1, user: `U${u}`, history: histories[u]!, shown: [...shown].map(([item, clicked]) => ({ item, clicked })) });
  }
  const lines = logs.map(
    (log) => `${log.id}\t${log.user}\t11/12/2019 2:14:46 PM\t${log.history.join(' ')}\t${log.shown.map((s) => `${s.item}-${s.clicked ? 1 : 0}`).join(' ')}`,
  );
  writeFileSync(path.join(dir, 'behaviors.tsv'), `${lines.join('\n')}\n`);
  return { dir, logs };
}
