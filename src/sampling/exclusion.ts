/**
 * Drawing items a user has not interacted with in training: draw from the
 * proposal, redraw while the item is a training positive (RecBole's rejection
 * loop, per slot). A user who has nearly every item could loop for long, so
 * after MAX_TRIES the last draw is kept and counted.
 */
import { csrHas, type Csr } from './csr.js';

export const MAX_TRIES = 64;

export interface ExclusionCounters {
  redraws: number;
  givenUp: number;
}

export function drawExcluding(train: Csr, userIdx: number, draw: () => number, counters: ExclusionCounters): number {
  let item = draw();
  for (let tries = 1; csrHas(train, userIdx, item); tries += 1) {
    if (tries >= MAX_TRIES) {
      counters.givenUp += 1;
      return item;
    }
    counters.redraws += 1;
    item = draw();
  }
  return item;
}
