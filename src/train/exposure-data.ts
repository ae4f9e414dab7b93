/**
 * Each user's exposed-but-not-interacted training items as a CSR: the exposures
 * of training impressions minus the user's training positives (an item shown
 * once and clicked another time is a positive, not a negative signal).
 */
import { csrFromPairs, csrHas, type Csr } from '../base/csr.js';
import type { ExposureTable } from '../graph/exposures.js';

export function exposedNotInteracted(table: ExposureTable, train: Csr): Csr {
  const users: number[] = [];
  const items: number[] = [];
  for (let k = 0; k < table.userIdxs.length; k += 1) {
    const u = table.userIdxs[k]!;
    const i = table.itemIdxs[k]!;
    if (!csrHas(train, u, i)) {
      users.push(u);
      items.push(i);
    }
  }
  return csrFromPairs(train.rows, train.cols, Int32Array.from(users), Int32Array.from(items));
}
