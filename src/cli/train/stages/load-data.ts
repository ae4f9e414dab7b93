/**
 * Stage 1, load run data: everything a run reads from Neo4j, once, into typed
 * arrays: the interactions and their split, held-out impressions (MIND), the
 * regions of the Three-Region Principle (walked over the run's own training
 * pairs), the item KG (jnskr), the training
 * exposures and the walk graph (kgpolicy), each only when the run needs it.
 */
import { buildUserLists, type UserLists } from '../../../eval/impression-ranking.js';
import { loadHeldOutImpressions, loadTrainExposures, type ExposureTable, type ImpressionTable } from '../../../graph/exposures.js';
import { loadItemKg, type ItemKgTable } from '../../../graph/item-kg.js';
import type { QueryRunner } from '../../../graph/query-runner.js';
import { requireCompleteDataset, type DatasetRecord } from '../../../graph/datasets/dataset-repository.js';
import { KgnegError } from '../../../graph/errors.js';
import { cachedReachableItems, type CachedRegions } from '../../../graph/region-cache.js';
import { loadTrainingData, type TrainingData } from '../../../graph/training-data.js';
import { loadKgAdjacency, type KgAdjacency } from '../../../graph/walk-graph.js';
import { samplerEntry } from '../../../sampling/registry.js';
import { coldItems, impressionPairs, trainWithoutHeldOut } from '../../../train/impression-data.js';
import { itemKgCsr } from '../../../train/item-kg-data.js';
import type { ItemKgCsr } from '../../../train/models/jnskr.js';
import { modelEntry } from '../../../train/models/registry.js';
import { splitTrainingData, type SplitData } from '../../../train/split-data.js';
import { readCheckpoint, type Checkpoint } from '../../../train/checkpoint.js';
import { currentRun } from '../../../graph/write-back.js';
import { progressBar } from '../../progress.js';
import type { TrainOptions } from '../options.js';

export interface HeldOutImpressions {
  readonly split: SplitData;
  /** Every (user, item) of validation and test impressions. */
  readonly pairs: ReturnType<typeof impressionPairs>;
  readonly valid: ImpressionTable;
  readonly test: ImpressionTable;
  readonly validLists: UserLists;
  readonly testLists: UserLists;
  readonly summary: Record<string, unknown>;
}

export interface RunData {
  readonly data: TrainingData;
  readonly split: SplitData;
  readonly held?: HeldOutImpressions;
  /** The validation metric of early stopping. */
  readonly selectMetric: string;
  readonly regions?: CachedRegions;
  readonly itemKgTable?: ItemKgTable;
  readonly itemKg?: ItemKgCsr;
  readonly exposures?: ExposureTable;
  readonly kgAdjacency?: KgAdjacency;
  /** --warm-start: the served run's checkpoint. */
  readonly warmStart?: { readonly runId: string; readonly file: string; readonly checkpoint: Checkpoint };
}

/**
 * Before anything is read: the run's sampler and model must find what they
 * need in the dataset's record (its counts are written when ingestion completes).
 */
export async function checkDatasetFits(runner: QueryRunner, options: TrainOptions): Promise<void> {
  const record = (await requireCompleteDataset(runner, options.dataset)) as DatasetRecord & Partial<Record<'triples' | 'exposures', unknown>>;
  const count = (key: 'triples' | 'exposures') => (record[key] === undefined ? undefined : Number(record[key]));
  const sampler = samplerEntry(options.sampler);
  const model = modelEntry(options.model);
  const refuse = (message: string) => {
    throw new KgnegError(message, { hint: `npm run stats -- --dataset ${options.dataset} shows what it holds`, exitCode: 2 });
  };
  const interactions = Number((record as DatasetRecord & { trainInteractions?: unknown }).trainInteractions ?? Number.NaN);
  if (interactions === 0) refuse(`dataset '${options.dataset}' has no training interactions: nothing to train on`);
  if (count('triples') === 0) {
    if (sampler.usesKnowledgeGraph) refuse(`--sampler ${options.sampler} walks the knowledge graph, and dataset '${options.dataset}' has no KG triples`);
    if (model.needsItemKg) refuse(`--model ${options.model} learns from the knowledge graph, and dataset '${options.dataset}' has no KG triples`);
  }
  if (sampler.needsExposures && count('exposures') === 0) {
    refuse(`--sampler ${options.sampler} draws from exposures (shown, not clicked), and dataset '${options.dataset}' has none`);
  }
}

export async function loadRunData(runner: QueryRunner, options: TrainOptions, print: (line: string) => void): Promise<RunData> {
  const warmStart = options.warmStart ? await loadWarmStart(runner, options) : undefined;
  if (warmStart) print(`warm start from the served run ${warmStart.runId} (${warmStart.checkpoint.userIds.length} users, ${warmStart.checkpoint.itemIds.length} items): ${warmStart.file}`);
  const data = await loadTrainingData(runner, options.dataset, options.minRating === undefined ? {} : { minRating: options.minRating });
  let split = splitTrainingData(data, options.seed, options.validRatio);
  const held = await loadImpressionEvaluation(runner, options, data, split, print);
  if (held) split = held.split;
  const selectMetric = options.selectMetric ?? (held ? 'imp.auc' : options.ks.includes(20) ? 'recall@20' : `recall@${options.ks[0]}`);
  print(
    `loaded '${options.dataset}' from Neo4j in ${data.loadSeconds.toFixed(1)}s: ${split.numUsers} users, ${split.numItems} items, ` +
      `train ${split.train.indices.length}, valid ${split.valid.indices.length} (${split.validation.source}), test ${split.test.indices.length}`,
  );
  const regions = options.region === 'global' ? undefined : await loadRegions(runner, data, split, options, print);
  const samplerInfo = samplerEntry(options.sampler);
  const itemKgTable = modelEntry(options.model).needsItemKg ? await loadItemKg(runner, options.dataset, data.items) : undefined;
  if (itemKgTable) {
    const label = itemKgTable.relationIds.length === 1 && itemKgTable.relationIds[0] === -1 ? ' (relation-less item-entity KG: one relation, labelled item_entity)' : '';
    print(`item KG: ${itemKgTable.itemIdxs.length} (item, relation, entity) pairs incl. inverses, ${itemKgTable.entities.ids.length} entities, ${itemKgTable.numRelations} relations${label}, read in ${itemKgTable.seconds.toFixed(1)}s`);
  }
  const exposures = samplerInfo.usesExposures ? await loadTrainExposures(runner, options.dataset, data.users, data.items) : undefined;
  if (exposures) print(`exposures of training impressions: ${exposures.userIdxs.length} (user, item) pairs, read in ${exposures.seconds.toFixed(1)}s`);
  const kgAdjacency = samplerInfo.usesKnowledgeGraph ? await loadKgAdjacency(runner, options.dataset, data.users, data.items) : undefined;
  if (kgAdjacency) {
    print(`walk graph: ${kgAdjacency.from.length} directed KG edges, ${kgAdjacency.entities.ids.length} KG entities besides items, read in ${kgAdjacency.seconds.toFixed(1)}s`);
  }
  return {
    data,
    split,
    ...(held ? { held } : {}),
    selectMetric,
    ...(regions ? { regions } : {}),
    ...(itemKgTable ? { itemKgTable, itemKg: itemKgCsr(itemKgTable, split.numItems) } : {}),
    ...(exposures ? { exposures } : {}),
    ...(kgAdjacency ? { kgAdjacency } : {}),
    ...(warmStart ? { warmStart } : {}),
  };
}

/** The served run's checkpoint, refused (exit 2) unless it is there and of the run's model and dim. */
async function loadWarmStart(runner: QueryRunner, options: TrainOptions): Promise<NonNullable<RunData['warmStart']>> {
  const refuse = (reason: string, hint: string): never => {
    throw new KgnegError(`--warm-start: ${reason}`, { hint, exitCode: 2 });
  };
  const served = await currentRun(runner, options.dataset);
  if (!served) return refuse(`dataset '${options.dataset}' serves no run yet`, 'train it once without --warm-start');
  const file = typeof served['checkpoint'] === 'string' ? served['checkpoint'] : undefined;
  if (!file) return refuse(`the served run ${served.runId} has no checkpoint (an older kgneg wrote it)`, 'train once without --warm-start');
  const checkpoint = readCheckpoint(file);
  if (typeof checkpoint === 'string') return refuse(`the served run's checkpoint ${checkpoint}`, 'run the warm start where the served run was trained, or train without --warm-start');
  if (checkpoint.model !== options.model || checkpoint.dim !== options.dim) {
    return refuse(
      `the served run is ${checkpoint.model} with dim ${checkpoint.dim}, this run ${options.model} with dim ${options.dim}`,
      `a warm start continues the same model: --model ${checkpoint.model} --dim ${checkpoint.dim}`,
    );
  }
  return { runId: served.runId, file, checkpoint };
}

/**
 * Datasets split by impression (MIND) are also evaluated per impression and per
 * user list; their held-out (user, item) pairs are taken out of training.
 */
async function loadImpressionEvaluation(
  runner: QueryRunner,
  options: TrainOptions,
  data: TrainingData,
  split: SplitData,
  print: (line: string) => void,
): Promise<HeldOutImpressions | undefined> {
  if (data.dataset.splitRule !== 'impression-8-1-1') return undefined;
  const valid = await loadHeldOutImpressions(runner, options.dataset, 'valid', data.users, data.items);
  const test = await loadHeldOutImpressions(runner, options.dataset, 'test', data.users, data.items);
  if (valid.impressions === 0 || test.impressions === 0) return undefined;
  const pairs = impressionPairs([valid, test], split.numUsers, split.numItems);
  const trimmed = trainWithoutHeldOut(split, pairs);
  const exclude = [trimmed.split.train, split.valid, split.test];
  const validLists = buildUserLists(valid, exclude, split.numItems, options.listLength, options.seed);
  const testLists = buildUserLists(test, exclude, split.numItems, options.listLength, options.seed + 1);
  const cold = coldItems(test, trimmed.split.itemCounts);
  print(
    `held-out impressions: valid ${valid.impressions}, test ${test.impressions} (${test.itemIdxs.length} rows); ` +
      `${trimmed.removed} training interactions removed because the user sees the item again in a held-out impression; ` +
      `test items cold to training: ${cold.withoutTrainClicks} of ${cold.items} (${cold.coldRows} of ${test.itemIdxs.length} rows); user lists padded to ${options.listLength}`,
  );
  const summary = {
    valid: { impressions: valid.impressions, rows: valid.itemIdxs.length, listUsers: validLists.userIdxs.length, listsSkipped: validLists.skipped, padded: validLists.padded },
    test: { impressions: test.impressions, rows: test.itemIdxs.length, listUsers: testLists.userIdxs.length, listsSkipped: testLists.skipped, padded: testLists.padded },
    trainPairsRemoved: trimmed.removed,
    testColdItems: cold,
    listLength: options.listLength,
  };
  return { split: trimmed.split, pairs, valid, test, validLists, testLists, summary };
}

async function loadRegions(runner: QueryRunner, data: TrainingData, split: SplitData, options: TrainOptions, print: (line: string) => void): Promise<CachedRegions> {
  const khop = options.khop;
  if (khop === undefined) throw new Error('options resolved a region without its khop');
  const bar = progressBar(`regions khop ${options.khop}`);
  const regions = await cachedReachableItems(runner, data, split.train, khop, {
    ...(options.minRating === undefined ? {} : { minRating: options.minRating }),
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.finish();
  print(`regions (khop ${options.khop}) ${regions.source === 'cache' ? 'read from the cache' : 'extracted by Cypher'} in ${regions.seconds.toFixed(1)}s: ${regions.file}`);
  return regions;
}
