/** Small datasets written by tests, in the formats kgneg reads. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Rng } from '../../src/sampling/rng.js';

/** KGCN layout: `users` users with `perUser` positives each among `items` items, with a block structure to learn. */
export function syntheticKgcn(users: number, items: number, perUser: number, seed = 1): string {
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
  writeFileSync(path.join(dir, 'kg_final.txt'), `0\t0\t${items}\n1\t1\t${items + 1}\n`);
  return dir;
}
