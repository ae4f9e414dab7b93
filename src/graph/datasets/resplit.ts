/**
 * Applies another split seed to a loaded dataset without reading its files:
 * the split rules depend only on what Neo4j holds (keys, timestamps, impression
 * ids), so the same seed gives the same split as at ingestion.
 */
import { KgnegError } from '../errors.js';
import type { QueryRunner } from '../query-runner.js';
import { requireCompleteDataset, setSplitSeed } from './dataset-repository.js';
import type { ExposureRecord, InteractionRecord, InteractionSource, Split } from './records.js';
import type { ExternalId } from '../../base/ids.js';
import { assignSplits } from './split.js';

export interface ResplitReport {
  readonly name: string;
  readonly seed: number;
  readonly interactions: Readonly<Record<Split, number>>;
  readonly changed: number;
  readonly seconds: number;
}

export async function resplitDataset(
  runner: QueryRunner,
  name: string,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): Promise<ResplitReport> {
  const began = Date.now();
  const dataset = await requireCompleteDataset(runner, name);
  if (dataset.splitRule === 'fixed') {
    throw new KgnegError(`dataset '${name}' (${dataset.format}) has the fixed split of its files`, {
      hint: 'only datasets without a fixed split (KGCN, RecBole, MIND) can be re-split',
    });
  }
  const stored = await runner.read<{ key: string; timestamp: number | null; source: string | null; split: Split }>(
    'dataset/list-interaction-keys',
    { dataset: name },
  );
  const interactions: InteractionRecord[] = stored.map((row) => {
    const [userId, itemId, impressionId] = JSON.parse(row.key) as [ExternalId, ExternalId, ExternalId | null];
    return {
      userId,
      itemId,
      split: row.source === 'history' ? 'train' : null,
      ...(row.timestamp === null ? {} : { timestamp: row.timestamp }),
      ...(impressionId === null ? {} : { impressionId }),
      ...(row.source === null ? {} : { source: row.source as InteractionSource }),
    };
  });
  const exposureRows = await runner.read<{ key: string; timestamp: number | null; count: number }>(
    'dataset/list-exposure-keys',
    { dataset: name },
  );
  const exposures: ExposureRecord[] = exposureRows.map((row) => {
    const [userId, itemId, impressionId] = JSON.parse(row.key) as [ExternalId, ExternalId, ExternalId];
    return { userId, itemId, impressionId, count: row.count, split: null, ...(row.timestamp === null ? {} : { timestamp: row.timestamp }) };
  });
  assignSplits(dataset.splitRule, seed, interactions, exposures);

  const counts: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  let changed = 0;
  const interactionRows = interactions.map((r, index) => {
    const split = r.split as Split;
    counts[split] += 1;
    if (stored[index]?.split !== split) changed += 1;
    return { key: stored[index]?.key, split };
  });
  const total = interactionRows.length + exposures.length;
  await runner.writeBatches('ingest/set-interaction-splits', interactionRows, {
    params: { dataset: name },
    onProgress: (p) => onProgress?.(p.rowsDone, total),
  });
  await runner.writeBatches(
    'ingest/set-exposure-splits',
    exposures.map((r, index) => ({ key: exposureRows[index]?.key, split: r.split })),
    { params: { dataset: name }, onProgress: (p) => onProgress?.(interactionRows.length + p.rowsDone, total) },
  );
  await setSplitSeed(runner, name, seed);
  return { name, seed, interactions: counts, changed, seconds: (Date.now() - began) / 1000 };
}
