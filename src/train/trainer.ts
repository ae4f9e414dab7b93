/**
 * The training loop: each epoch walks the training interactions in a seeded
 * random order, asks the sampler for k negatives per (user, positive), takes a
 * model step, and records the loss, the negatives' gradient magnitude (KGPolicy
 * eq. 4) and false-negative rate (share of negatives that are held-out
 * positives of that user). Validation is a callback (the trainer does not
 * import evaluation); with early stopping the best validated parameters are
 * restored at the end.
 */
import { csrHas, type Csr } from '../base/csr.js';
import { Rng } from '../base/rng.js';
import type { Sampler } from '../sampling/types.js';
import type { LossFn } from './losses.js';
import type { Model } from './models/types.js';
import type { Optimizer } from './optim/adam.js';
import type { SplitData } from './split-data.js';

export interface TrainerConfig {
  /** Exactly this many epochs, no early stopping; undefined: early stopping up to maxEpochs. */
  readonly epochs?: number;
  readonly maxEpochs: number;
  readonly batchSize: number;
  /** Negatives per positive (k). */
  readonly negatives: number;
  readonly evalEvery: number;
  /** Validations without improvement before stopping. */
  readonly patience: number;
  readonly selectMetric: string;
  readonly seed: number;
}

export const DEFAULT_TRAINER: Omit<TrainerConfig, 'seed'> = Object.freeze({
  maxEpochs: 300,
  batchSize: 2048,
  negatives: 1,
  evalEvery: 5,
  patience: 5,
  selectMetric: 'recall@20',
});

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly meanGradMagnitude: number;
  readonly falseNegativeRate: number;
  readonly seconds: number;
  readonly sampleSeconds: number;
  readonly stepSeconds: number;
  readonly pairsPerSecond: number;
  readonly validation?: Record<string, number>;
  readonly evalSeconds?: number;
}

export interface TrainResult {
  readonly epochs: readonly EpochRecord[];
  readonly bestEpoch: number;
  readonly bestValidation?: Record<string, number>;
  readonly stoppedEarly: boolean;
  /** Stopped because shouldStop() said so (a user's Ctrl-C), not by the schedule. */
  readonly interrupted: boolean;
  readonly seconds: number;
}

export interface TrainArgs {
  readonly model: Model;
  /** Absent for non-sampling models (model.trainEpoch). */
  readonly sampler?: Sampler;
  readonly optimizer: Optimizer;
  readonly loss: LossFn;
  readonly data: SplitData;
  readonly config: TrainerConfig;
  readonly validate?: (epoch: number) => Promise<{ metrics: Record<string, number>; seconds: number }> | { metrics: Record<string, number>; seconds: number };
  readonly onEpoch?: (record: EpochRecord) => void;
  /**
   * Asked after every epoch (the loop yields to the event loop first, so a
   * signal handler that sets it has run): true ends training there, with that
   * epoch validated, so that what was learned is kept, selected and reported
   * rather than lost with the process.
   */
  readonly shouldStop?: () => boolean;
  /**
   * The model as it starts was validated already (a learned sampler's warm
   * start): it is a candidate of selection as epoch 0, so that training which
   * only makes it worse ends with it restored (bestEpoch 0).
   */
  readonly startingPoint?: { readonly metrics: Record<string, number> };
}

export async function trainModel(args: TrainArgs): Promise<TrainResult> {
  const { model, sampler, optimizer, loss, data, config } = args;
  const began = Date.now();
  const rng = new Rng(config.seed ^ 0x7a11);
  const { userIdxs: pairUsers, itemIdxs: pairItems } = trainPairs(data.train);
  const order = Int32Array.from({ length: pairUsers.length }, (_, k) => k);
  const epochs: EpochRecord[] = [];
  const fixed = config.epochs !== undefined;
  const maxEpochs = config.epochs ?? config.maxEpochs;
  let best: { epoch: number; score: number; metrics: Record<string, number>; snapshot: Float32Array[] } | undefined = args.startingPoint
    ? { epoch: 0, score: args.startingPoint.metrics[config.selectMetric] ?? Number.NaN, metrics: args.startingPoint.metrics, snapshot: model.tables().map((t) => t.data.slice()) }
    : undefined;
  let sinceBest = 0;
  let stoppedEarly = false;
  let interrupted = false;
  const k = config.negatives;

  // Validation, best-epoch bookkeeping and early stopping, after each epoch.
  const finishEpoch = async (measured: EpochRecord): Promise<'stop' | 'go'> => {
    let record = measured;
    const { epoch } = measured;
    // Signal handlers run only when the loop yields; epochs are synchronous.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const stop = args.shouldStop?.() ?? false;
    const evaluate = args.validate && (epoch % config.evalEvery === 0 || epoch === maxEpochs || stop);
    if (evaluate && args.validate) {
      const result = await args.validate(epoch);
      record = { ...record, validation: result.metrics, evalSeconds: result.seconds };
      const score = result.metrics[config.selectMetric] ?? Number.NaN;
      if (!best || score > best.score) {
        best = { epoch, score, metrics: result.metrics, snapshot: model.tables().map((t) => t.data.slice()) };
        sinceBest = 0;
      } else {
        sinceBest += 1;
      }
    }
    epochs.push(record);
    args.onEpoch?.(record);
    if (stop) {
      interrupted = true;
      return 'stop';
    }
    if (!fixed && sinceBest >= config.patience) {
      stoppedEarly = true;
      return 'stop';
    }
    return 'go';
  };

  for (let epoch = 1; epoch <= maxEpochs; epoch += 1) {
    const epochBegan = Date.now();
    if (model.trainEpoch) {
      // Non-sampling: no negatives, so no gradient magnitude or false-negative rate (recorded as null).
      const stats = model.trainEpoch(optimizer, rng);
      const seconds = (Date.now() - epochBegan) / 1000;
      const record = await finishEpoch({
        epoch, loss: stats.loss, meanGradMagnitude: Number.NaN, falseNegativeRate: Number.NaN,
        seconds, sampleSeconds: 0, stepSeconds: seconds, pairsPerSecond: stats.pairs / seconds,
      });
      if (record === 'stop') break;
      continue;
    }
    if (!sampler) throw new Error(`model ${model.name} trains by sampling and needs a sampler`);
    await sampler.beginEpoch?.(epoch);
    rng.shuffle(order);
    let lossSum = 0;
    let magnitudeSum = 0;
    let batches = 0;
    let falseNegatives = 0;
    let sampleMs = 0;
    let stepMs = 0;
    for (let start = 0; start < order.length; start += config.batchSize) {
      const size = Math.min(config.batchSize, order.length - start);
      const userIdxs = new Int32Array(size);
      const posItemIdxs = new Int32Array(size);
      for (let b = 0; b < size; b += 1) {
        const pair = order[start + b]!;
        userIdxs[b] = pairUsers[pair]!;
        posItemIdxs[b] = pairItems[pair]!;
      }
      const t0 = performance.now();
      const negatives = sampler.sample(userIdxs, posItemIdxs, k, model);
      const t1 = performance.now();
      const step = await model.trainStep(
        {
          userIdxs,
          posItemIdxs,
          negItemIdxs: negatives.itemIdxs,
          k,
          ...(negatives.mixture ? { negMixture: negatives.mixture } : {}),
        },
        loss,
        optimizer,
      );
      sampler.afterStep?.({ userIdxs, posItemIdxs, negItemIdxs: negatives.itemIdxs, scorer: model });
      stepMs += performance.now() - t1;
      sampleMs += t1 - t0;
      lossSum += step.loss;
      magnitudeSum += step.meanGradMagnitude;
      batches += 1;
      falseNegatives += countHeldOut(negatives.itemIdxs, userIdxs, k, data.valid, data.test);
    }
    const seconds = (Date.now() - epochBegan) / 1000;
    const record = await finishEpoch({
      epoch,
      loss: lossSum / batches,
      meanGradMagnitude: magnitudeSum / batches,
      falseNegativeRate: falseNegatives / (order.length * k),
      seconds,
      sampleSeconds: sampleMs / 1000,
      stepSeconds: stepMs / 1000,
      pairsPerSecond: order.length / seconds,
    });
    if (record === 'stop') break;
  }
  if (best && !fixed) {
    model.tables().forEach((table, t) => table.data.set(best!.snapshot[t]!));
    model.tablesChanged?.();
  }
  return {
    epochs,
    bestEpoch: fixed || !best ? epochs.length : best.epoch,
    ...(best ? { bestValidation: best.metrics } : {}),
    stoppedEarly,
    interrupted,
    seconds: (Date.now() - began) / 1000,
  };
}

function trainPairs(train: Csr): { userIdxs: Int32Array; itemIdxs: Int32Array } {
  const userIdxs = new Int32Array(train.indices.length);
  for (let u = 0; u < train.rows; u += 1) userIdxs.fill(u, train.indptr[u]!, train.indptr[u + 1]!);
  return { userIdxs, itemIdxs: train.indices };
}

function countHeldOut(negatives: Int32Array, userIdxs: Int32Array, k: number, valid: Csr, test: Csr): number {
  let n = 0;
  for (let b = 0; b < userIdxs.length; b += 1) {
    const u = userIdxs[b]!;
    for (let c = 0; c < k; c += 1) {
      const item = negatives[b * k + c]!;
      if (csrHas(valid, u, item) || csrHas(test, u, item)) n += 1;
    }
  }
  return n;
}
