import { describe, expect, it } from 'vitest';

import { parseMind } from '../../../src/graph/datasets/formats/mind.js';
import { parseRecbole } from '../../../src/graph/datasets/formats/recbole.js';
import type { InteractionRecord, Split } from '../../../src/graph/datasets/records.js';
import { assignSplits, recboleSplitCounts } from '../../../src/graph/datasets/split.js';
import { hasSharedDatasets, sharedDataset } from './fixtures.js';

function countSplits(records: readonly { split: Split | null }[]): Record<Split, number> {
  const counts: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  for (const r of records) if (r.split !== null) counts[r.split] += 1;
  return counts;
}

describe.skipIf(!hasSharedDatasets)('assignSplits on shared datasets', () => {
  it('ml100k: per user, train is never newer than valid, nor valid than test', async () => {
    const parsed = await parseRecbole(sharedDataset('ml100k-recbole'));
    assignSplits(parsed.splitRule, 2024, parsed.interactions, parsed.exposures);
    const byUser = new Map<string, InteractionRecord[]>();
    for (const r of parsed.interactions) {
      const list = byUser.get(String(r.userId)) ?? [];
      list.push(r);
      byUser.set(String(r.userId), list);
    }
    for (const list of byUser.values()) {
      const times = (s: Split): number[] => list.filter((r) => r.split === s).map((r) => r.timestamp ?? 0);
      expect(Math.max(...times('train'))).toBeLessThanOrEqual(Math.min(...times('valid')));
      expect(Math.max(...times('valid'))).toBeLessThanOrEqual(Math.min(...times('test')));
      const [nTrain, nValid, nTest] = recboleSplitCounts(list.length, [0.8, 0.1, 0.1]);
      expect([times('train').length, times('valid').length, times('test').length]).toEqual([nTrain, nValid, nTest]);
    }
  });

  it('MIND: every impression log lands in one split', async () => {
    const parsed = await parseMind(sharedDataset('mind-small-5k'));
    assignSplits(parsed.splitRule, 2024, parsed.interactions, parsed.exposures);
    const splitOf = new Map<unknown, Split | null>();
    for (const r of [...parsed.interactions, ...parsed.exposures]) {
      if (r.impressionId === undefined) {
        expect(r.split).toBe('train');
        continue;
      }
      const known = splitOf.get(r.impressionId);
      if (known !== undefined) expect(r.split).toBe(known);
      splitOf.set(r.impressionId, r.split);
    }
    const logs = countSplits([...splitOf.values()].map((split) => ({ split })));
    expect(logs).toEqual({ train: 4_000, valid: 500, test: 500 });
  });
});
