/**
 * One training run end to end: data from Neo4j, model and sampler from their
 * registries, training with validation-based early stopping, one test
 * evaluation, metrics.json and the curve picture, and the write-back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateFullRanking, rankUsers } from '../../eval/full-ranking.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { cachedReachableItems, type CachedRegions } from '../../graph/region-cache.js';
import { loadHeldOutImpressions, loadTrainExposures, type ImpressionTable } from '../../graph/exposures.js';
import { buildUserLists, evaluateImpressions, type UserLists } from '../../eval/impression-ranking.js';
import { coldItems, impressionPairs, trainWithoutHeldOut, withoutPairs } from '../../train/impression-data.js';
import { UniformSampler } from '../../sampling/uniform.js';
import { DnsSampler } from '../../sampling/dns.js';
import { loadKgAdjacency, type KgAdjacency } from '../../graph/walk-graph.js';
import { writeExplanations, type ExplanationRow } from '../../graph/explanations.js';
import { KgPolicySampler } from '../../sampling/kgpolicy/kgpolicy-sampler.js';
import { csrHas } from '../../base/csr.js';
import type { PretrainedGmf, Sampler, SamplerContext } from '../../sampling/types.js';
import type { Model } from '../../train/models/types.js';
import { loadItemKg } from '../../graph/item-kg.js';
import { loadTrainingData, type TrainingData } from '../../graph/training-data.js';
import { writeBackRun, type WriteBackResult } from '../../graph/write-back.js';
import { RegionFilter } from '../../sampling/region.js';
import { samplerEntry } from '../../sampling/registry.js';
import { Rng } from '../../base/rng.js';
import { assertSyncReads, selectBackend } from '../../train/backend.js';
import { exposedNotInteracted } from '../../train/exposure-data.js';
import { makeLoss } from '../../train/losses.js';
import { modelEntry } from '../../train/models/registry.js';
import type { FinalEmbeddings } from '../../train/models/types.js';
import { Adam } from '../../train/optim/adam.js';
import { Adagrad } from '../../train/optim/adagrad.js';
import { itemKgCsr } from '../../train/item-kg-data.js';
import { mergeValidation, type SplitData, splitTrainingData } from '../../train/split-data.js';
import { trainModel, type EpochRecord } from '../../train/trainer.js';
import { benchEnvironment } from '../bench/result.js';
import { progressBar } from '../progress.js';
import { trainingCurveSvg } from './curve.js';
import type { TrainOptions } from './options.js';

export interface RunReport {
  readonly metricsPath: string;
  readonly curvePath: string;
  readonly final: Record<string, number>;
  readonly bestEpoch: number;
  readonly writeBack?: WriteBackResult;
  readonly metrics: Record<string, unknown>;
}

export async function runTraining(runner: QueryRunner, options: TrainOptions, print: (line: string) => void): Promise<RunReport> {
  const began = Date.now();
  const backend = await selectBackend(options.backend, print);
  if (!modelEntry(options.model).asyncReads) assertSyncReads(backend, `model ${options.model}`);
  if (samplerEntry(options.sampler).readsTensorsSync) assertSyncReads(backend, `sampler ${options.sampler}`);
  const data = await loadTrainingData(runner, options.dataset, options.minRating === undefined ? {} : { minRating: options.minRating });
  let split = splitTrainingData(data, options.seed, options.validRatio);
  const held = await loadImpressionEvaluation(runner, options, data, split, print);
  if (held) split = held.split;
  const selectMetric = options.selectMetric ?? (held ? 'imp.auc' : options.ks.includes(20) ? 'recall@20' : `recall@${options.ks[0]}`);
  print(
    `loaded '${options.dataset}' from Neo4j in ${data.loadSeconds.toFixed(1)}s: ${split.numUsers} users, ${split.numItems} items, ` +
      `train ${split.train.indices.length}, valid ${split.valid.indices.length} (${split.validation.source}), test ${split.test.indices.length}`,
  );
  const regions = options.region === 'global' ? undefined : await loadRegions(runner, data, options, print);
  const samplerInfo = samplerEntry(options.sampler);
  const modelInfo = modelEntry(options.model);
  const kgTable = modelInfo.needsItemKg ? await loadItemKg(runner, options.dataset, data.items) : undefined;
  const itemKg = kgTable ? itemKgCsr(kgTable, split.numItems) : undefined;
  if (kgTable) {
    const label = kgTable.relationIds.length === 1 && kgTable.relationIds[0] === -1 ? ' (relation-less item-entity KG: one relation, labelled item_entity)' : '';
    print(`item KG: ${kgTable.itemIdxs.length} (item, relation, entity) pairs incl. inverses, ${kgTable.entities.ids.length} entities, ${kgTable.numRelations} relations${label}, read in ${kgTable.seconds.toFixed(1)}s`);
  }
  const exposureTable = samplerInfo.usesExposures ? await loadTrainExposures(runner, options.dataset, data.users, data.items) : undefined;
  if (exposureTable) print(`exposures of training impressions: ${exposureTable.userIdxs.length} (user, item) pairs, read in ${exposureTable.seconds.toFixed(1)}s`);
  const kgAdjacency = samplerInfo.usesKnowledgeGraph ? await loadKgAdjacency(runner, options.dataset, data.users, data.items) : undefined;
  if (kgAdjacency) {
    print(`walk graph: ${kgAdjacency.from.length} directed KG edges, ${kgAdjacency.entities.ids.length} KG entities besides items, read in ${kgAdjacency.seconds.toFixed(1)}s`);
  }
  const loss = makeLoss({ name: options.loss, softFactor: options.softFactor, margin: options.margin });
  let regionSizes: ReturnType<RegionFilter['sizeStats']> | undefined;
  const validateOn = (data: SplitData, model: Model) => async () => {
    const ranking = await evaluateFullRanking({ embeddings: model.finalEmbeddings(), exclude: [data.train], truth: data.valid, ks: options.ks });
    if (!held) return ranking;
    const impressions = evaluateImpressions(model.finalEmbeddings(), held.valid, held.validLists);
    return { metrics: { ...ranking.metrics, ...impressions.metrics }, seconds: ranking.seconds + impressions.seconds };
  };
  const trainerConfig = (epochs: number | undefined) => ({
    ...(epochs === undefined ? {} : { epochs }),
    maxEpochs: options.maxEpochs,
    batchSize: options.batchSize,
    negatives: options.negatives,
    evalEvery: options.evalEvery,
    patience: options.patience,
    selectMetric,
    seed: options.seed,
  });
  let pretrainRecord: { epochs: number; bestEpoch: number; seconds: number; bestValidation: Record<string, number> | null } | undefined;
  const fit = async (data: SplitData, epochs: number | undefined, validate: boolean, pretrainEpochs?: number) => {
    const model = modelEntry(options.model).create(
      { users: data.numUsers, items: data.numItems, dim: options.dim, l2: options.l2, seed: options.seed },
      { train: data.train, ...(itemKg ? { itemKg } : {}), options: options.modelOptions, batchSize: options.batchSize },
    );
    // RNS (Algorithm 1's input): the recommender is pre-trained by BPR with uniform negatives and the sampler starts from it.
    let pretrained: PretrainedGmf | undefined;
    if (samplerInfo.pretrain) {
      const pretrainBegan = Date.now();
      print(`pre-training ${options.model} with BPR and ${options.warmStart} negatives${pretrainEpochs === undefined ? ' (early stopping on validation)' : ` for ${pretrainEpochs} epochs`}`);
      const warm = await trainModel({
        model,
        sampler: warmStartSampler(options.warmStart, { train: data.train, numItems: data.numItems, itemCounts: data.itemCounts, rng: new Rng(options.seed * 7919 + 2) }),
        optimizer: new Adam({ learningRate: options.learningRate }),
        loss: makeLoss({ name: 'bpr' }),
        data,
        config: trainerConfig(pretrainEpochs),
        ...(validate && pretrainEpochs === undefined ? { validate: validateOn(data, model) } : {}),
        onEpoch: (e) => print(`pre-train ${describeEpoch(e, selectMetric)}`),
      });
      pretrained = pretrainedGmf(model);
      // With a fixed number of epochs nothing was validated: validate the warm start once, as the reference the sampler must beat.
      const validation = warm.bestValidation ?? (validate ? (await validateOn(data, model)()).metrics : null);
      pretrainRecord = { epochs: warm.epochs.length, bestEpoch: warm.bestEpoch, seconds: (Date.now() - pretrainBegan) / 1000, bestValidation: validation };
      print(`pre-trained: epoch ${warm.bestEpoch} kept of ${warm.epochs.length}, ${pretrainRecord.seconds.toFixed(1)}s, valid ${selectMetric} ${(validation?.[selectMetric] ?? Number.NaN).toFixed(4)}`);
    }
    // The region filter subtracts this fit's own training items (refit: train + validation).
    const region = regions && options.region !== 'global' ? new RegionFilter(options.region, regions.sets, data.train) : undefined;
    if (region) {
      const sizes = region.sizeStats();
      print(`region ${region.name} (khop ${region.khop}): candidates per user median ${sizes.median}, p90 ${sizes.p90}, min ${sizes.min}; ${sizes.empty} users with none (padded from the global pool)`);
      regionSizes = sizes;
    }
    // Pairs shown in validation or test impressions never reach training, not even as exposures.
    const exposures = exposureTable
      ? held
        ? withoutPairs(exposedNotInteracted(exposureTable, data.train), held.pairs).csr
        : exposedNotInteracted(exposureTable, data.train)
      : undefined;
    if (exposures) {
      let users = 0;
      for (let u = 0; u < exposures.rows; u += 1) if (exposures.indptr[u + 1]! > exposures.indptr[u]!) users += 1;
      print(
        exposures.indices.length > 0
          ? `exposed-not-interacted: ${exposures.indices.length} pairs, ${users} of ${exposures.rows} users have some`
          : `no exposure records in training: ${options.sampler} runs without its exposure part`,
      );
    }
    const sampler = samplerInfo.create(
      {
        train: data.train,
        numItems: data.numItems,
        itemCounts: data.itemCounts,
        rng: new Rng(options.seed * 7919 + 1),
        ...(region ? { region } : {}),
        ...(exposures ? { exposures } : {}),
        ...(pretrained ? { pretrained } : {}),
        ...(kgAdjacency ? { knowledgeGraph: { from: kgAdjacency.from, to: kgAdjacency.to, entities: kgAdjacency.entities.ids.length } } : {}),
      },
      options.samplerOptions,
    );
    const result = await trainModel({
      model,
      sampler,
      optimizer: modelInfo.defaults.optimizer === 'adagrad' ? new Adagrad(options.learningRate) : new Adam({ learningRate: options.learningRate }),
      loss,
      data,
      config: trainerConfig(epochs),
      ...(validate ? { validate: validateOn(data, model), shouldStop: interrupt.requested } : {}),
      onEpoch: (e) => print(describeEpoch(e, selectMetric)),
    });
    return { model, sampler, result };
  };
  const trainBegan = Date.now();
  const interrupt = interruptOnSignal(print);
  const selected = await fit(split, options.epochs, true, options.pretrainEpochs);
  let { model, sampler } = selected;
  const result = selected.result;
  // Refit: the epoch count was chosen on a validation split carved out of train;
  // train again from the same seed on train + validation for that many epochs.
  let refit: { epochs: number; seconds: number } | undefined;
  if (options.refit && result.interrupted) print('interrupted: no refit, the test below is of the model selected so far');
  if (options.refit && !result.interrupted && split.validation.source === 'carved' && options.epochs === undefined) {
    const refitBegan = Date.now();
    print(`refit on train + validation for ${result.bestEpoch} epochs`);
    model.dispose();
    sampler.dispose?.();
    ({ model, sampler } = await fit(mergeValidation(split), result.bestEpoch, false, pretrainRecord?.bestEpoch));
    refit = { epochs: result.bestEpoch, seconds: (Date.now() - refitBegan) / 1000 };
  }
  interrupt.dispose();
  const trainSeconds = (Date.now() - trainBegan) / 1000;
  const ranking = await evaluateFullRanking({
    embeddings: model.finalEmbeddings(),
    exclude: [split.train, split.valid],
    truth: split.test,
    ks: options.ks,
  });
  const impressionTest = held ? evaluateImpressions(model.finalEmbeddings(), held.test, held.testLists) : undefined;
  const test = { ...ranking, metrics: { ...ranking.metrics, ...(impressionTest?.metrics ?? {}) }, seconds: ranking.seconds + (impressionTest?.seconds ?? 0) };
  print(`test (epoch ${result.bestEpoch}, ${test.users} users, ${test.seconds.toFixed(1)}s): ${formatMetrics(test.metrics)}`);

  const environment = benchEnvironment();
  const metrics: Record<string, unknown> = {
    config: options,
    dataset: { name: options.dataset, format: data.dataset.format, splitRule: data.dataset.splitRule, splitSeed: data.dataset.splitSeed },
    validationSplit: split.validation,
    code: { commit: environment.commit },
    environment,
    backend: { name: backend.name, provider: backend.provider, gpu: backend.gpu, skipped: backend.skipped },
    sizes: { users: split.numUsers, items: split.numItems, train: split.train.indices.length, valid: split.valid.indices.length, test: split.test.indices.length },
    epochs: result.epochs,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    interrupted: result.interrupted,
    refit: refit ?? null,
    pretrain: pretrainRecord ?? null,
    selectMetric,
    impressions: held ? held.summary : null,
    bestValidation: result.bestValidation ?? null,
    samplerStats: sampler.stats?.() ?? {},
    region: regions
      ? { name: options.region, khop: options.khop, source: regions.source, seconds: regions.seconds, file: regions.file, candidatesPerUser: regionSizes ?? null }
      : { name: 'global' },
    timings: { loadSeconds: data.loadSeconds, trainSeconds, testEvalSeconds: test.seconds },
    final: test.metrics,
  };
  mkdirSync(options.out, { recursive: true });
  const curvePath = path.join(options.out, 'training-curve.svg');
  writeFileSync(curvePath, trainingCurveSvg(`${options.dataset}: ${options.model} + ${options.sampler} (seed ${options.seed})`, result.epochs, selectMetric));

  let writeBack: WriteBackResult | undefined;
  if (options.writeBack) {
    writeBack = await writeBackModel(runner, options, data, split, model.finalEmbeddings(), metrics, backend.name);
    print(`wrote run ${writeBack.runId} back to Neo4j in ${writeBack.seconds.toFixed(1)}s (slot ${writeBack.slot}, vector index ${writeBack.searchIndex})`);
    metrics['writeBack'] = writeBack;
    if (sampler instanceof KgPolicySampler && kgAdjacency) {
      const began = Date.now();
      const rows = explanationRows(sampler, model, data, kgAdjacency, split.train, options.seed);
      await writeExplanations(runner, options.dataset, writeBack.runId, rows);
      const seconds = (Date.now() - began) / 1000;
      print(`wrote ${rows.length} KGPolicy explanations (one positive per user) in ${seconds.toFixed(1)}s: npm run explain -- --dataset ${options.dataset} --user ID`);
      metrics['explanations'] = { rows: rows.length, viaGraph: rows.filter((r) => r.viaGraph).length, seconds };
    }
    (metrics['timings'] as Record<string, number>)['writeBackSeconds'] = writeBack.seconds;
  }
  (metrics['timings'] as Record<string, number>)['totalSeconds'] = (Date.now() - began) / 1000;
  const metricsPath = path.join(options.out, 'metrics.json');
  writeFileSync(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  model.dispose();
  sampler.dispose?.();
  return { metricsPath, curvePath, final: test.metrics, bestEpoch: result.bestEpoch, ...(writeBack ? { writeBack } : {}), metrics };
}

interface HeldOutImpressions {
  readonly split: SplitData;
  /** Every (user, item) of validation and test impressions. */
  readonly pairs: ReturnType<typeof impressionPairs>;
  readonly valid: ImpressionTable;
  readonly test: ImpressionTable;
  readonly validLists: UserLists;
  readonly testLists: UserLists;
  readonly summary: Record<string, unknown>;
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

/**
 * One training positive per user (seeded pick), walked by the final policy; the
 * path and the negative go to Neo4j. Walks that ended on a training positive
 * (the sampler swaps those for a random item) have no path to show: left out.
 */
function explanationRows(sampler: KgPolicySampler, scorer: Model, data: TrainingData, kg: KgAdjacency, train: SplitData['train'], seed: number): ExplanationRow[] {
  const rng = new Rng(seed ^ 0xe8a1);
  const users: number[] = [];
  const positives: number[] = [];
  for (let u = 0; u < train.rows; u += 1) {
    const from = train.indptr[u]!;
    const count = train.indptr[u + 1]! - from;
    if (count === 0) continue;
    users.push(u);
    positives.push(train.indices[from + rng.nextInt(count)]!);
  }
  const walks = sampler.explain(Int32Array.from(users), Int32Array.from(positives), scorer);
  const { users: userCount, items: itemCount, adjacency } = sampler.graph;
  const name = (node: number): string =>
    node < userCount
      ? `user:${String(data.users.ids[node])}`
      : node < userCount + itemCount
        ? `item:${String(data.items.ids[node - userCount])}`
        : `entity:${String(kg.entities.ids[node - userCount - itemCount])}`;
  const width = 2 * walks.steps + 1;
  const rows: ExplanationRow[] = [];
  users.forEach((u, p) => {
    const path = walks.nodes.subarray(p * width, (p + 1) * width);
    const negative = path[width - 1]! - userCount;
    if (csrHas(train, u, negative)) return;
    let viaGraph = true;
    for (let k = 0; k + 1 < width; k += 1) if (!csrHas(adjacency, path[k]!, path[k + 1]!)) viaGraph = false;
    rows.push({ user: data.users.ids[u]!, positive: data.items.ids[positives[p]!]!, negative: data.items.ids[negative]!, path: Array.from(path, name), viaGraph });
  });
  return rows;
}

function warmStartSampler(name: 'uniform' | 'dns', ctx: SamplerContext): Sampler {
  return name === 'dns' ? new DnsSampler(ctx, 16) : new UniformSampler(ctx);
}

/** The recommender's tables as the GMF a sampler starts from (MF has no h: ones). */
function pretrainedGmf(model: Model): PretrainedGmf {
  const byName = new Map(model.tables().map((t) => [t.name, t.data]));
  const users = byName.get('users');
  const items = byName.get('items');
  if (!users || !items) throw new Error(`model ${model.name} has no users/items tables to start a sampler from`);
  return { dim: model.dim, users: users.slice(), items: items.slice(), h: byName.get('h')?.slice() ?? new Float32Array(model.dim).fill(1) };
}

async function loadRegions(runner: QueryRunner, data: TrainingData, options: TrainOptions, print: (line: string) => void): Promise<CachedRegions> {
  const bar = progressBar(`regions khop ${options.khop}`);
  const regions = await cachedReachableItems(runner, data, options.khop, {
    ...(options.minRating === undefined ? {} : { minRating: options.minRating }),
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.finish();
  print(`regions (khop ${options.khop}) ${regions.source === 'cache' ? 'read from the cache' : 'extracted by Cypher'} in ${regions.seconds.toFixed(1)}s: ${regions.file}`);
  return regions;
}

async function writeBackModel(
  runner: QueryRunner,
  options: TrainOptions,
  data: TrainingData,
  split: SplitData,
  embeddings: FinalEmbeddings,
  metrics: Record<string, unknown>,
  backendName: string,
): Promise<WriteBackResult> {
  const users = Array.from({ length: split.numUsers }, (_, u) => u);
  const recommendations: Array<{ itemIdxs: Int32Array; scores: Float32Array }> = new Array(split.numUsers);
  // Serve what the user has not interacted with at all (any split).
  await rankUsers(embeddings, users, [split.train, split.valid, split.test], options.topK, (u, itemIdxs, scores) => {
    recommendations[u] = { itemIdxs: itemIdxs.slice(), scores: scores.slice() };
  });
  const bar = progressBar('write-back');
  const result = await writeBackRun(runner, {
    dataset: options.dataset,
    dim: embeddings.dim,
    userIds: data.users.ids,
    itemIds: data.items.ids,
    users: embeddings.users,
    items: embeddings.items,
    recommendations,
    runProperties: {
      model: options.model,
      sampler: options.sampler,
      seed: options.seed,
      backend: backendName,
      commit: (metrics['code'] as { commit: string }).commit,
      configJson: JSON.stringify(options),
      metricsJson: JSON.stringify(metrics['final']),
      timingsJson: JSON.stringify(metrics['timings']),
      bestEpoch: metrics['bestEpoch'] as number,
      topK: options.topK,
    },
    batchSize: options.writeBatchSize,
    onProgress: (_phase, done, total) => bar.update(done, total),
  });
  bar.finish();
  return result;
}

function describeEpoch(e: EpochRecord, metric: string): string {
  const validation = e.validation ? `, valid ${metric} ${(e.validation[metric] ?? 0).toFixed(4)} (${(e.evalSeconds ?? 0).toFixed(1)}s)` : '';
  // Non-sampling models have no negatives to describe.
  const negatives = Number.isNaN(e.meanGradMagnitude) ? '' : `, |grad| ${e.meanGradMagnitude.toFixed(3)}, false negatives ${(100 * e.falseNegativeRate).toFixed(2)}%`;
  return `epoch ${String(e.epoch).padStart(3)}: loss ${e.loss.toFixed(4)}, ${e.seconds.toFixed(2)}s (${Math.round(e.pairsPerSecond)} pairs/s)${negatives}${validation}`;
}

export function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([key, value]) => `${key} ${value.toFixed(4)}`)
    .join(', ');
}

/**
 * The first SIGINT or SIGTERM during training asks the trainer to stop after
 * the current epoch: it validates that epoch, keeps the best one, and the run
 * is tested and written back as usual (metrics.json says `interrupted`). A
 * second signal exits at once, as a plain Ctrl-C would; repeats within a
 * second of the first are the same Ctrl-C relayed by npm and tsx (each
 * forwards it to its child) and are ignored.
 */
function interruptOnSignal(print: (line: string) => void): { requested: () => boolean; dispose: () => void } {
  let requestedAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requestedAt !== undefined) {
      if (Date.now() - requestedAt < 1000) return;
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    requestedAt = Date.now();
    print(`${signal}: stopping after this epoch, then validating, testing and writing back (send it again to abort)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => requestedAt !== undefined,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
