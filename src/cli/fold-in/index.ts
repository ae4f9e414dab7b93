/**
 * `npm run fold-in -- --dataset NAME [--k 20] [--write] [--wait S]`: every user
 * with interactions whom the served run has no vector for (users who arrived
 * after it), and every user with interactions that arrived after the run read
 * its data, is fitted against the run's item vectors (src/train/fold-in.ts)
 * and ranked; with --write their vectors and top-K join the served run (a
 * refitted user's list replaced), under the dataset's writer lock, in the
 * run's own property and runId.
 */
import { withWriterLock } from '../../graph/dataset-lock.js';
import { KgnegError } from '../../graph/errors.js';
import { servedItemVectors, usersToFoldIn, writeFoldedUsers, type FoldedUser } from '../../graph/fold-in-data.js';
import { currentRun } from '../../graph/write-back.js';
import { DEFAULT_FOLD_IN, foldInUser, topKFor } from '../../train/fold-in.js';
import { option } from '../../base/options.js';
import { defineCommand } from '../command-options.js';
import { withRunner } from '../connection.js';
import { optional } from '../options.js';

/** Every option of `npm run fold-in`, declared once. */
export const FOLD_IN_OPTIONS = {
  dataset: option.string('the dataset with a served run', undefined, { meta: 'NAME' }),
  k: optional(option.int('recommendations per folded-in user', undefined, { min: 1 }), "the served run's top-K"),
  write: option.boolean('join the folded-in users\' vectors and top-K to the served run', false),
  wait: option.int('seconds to wait while another command writes the dataset (0: fail at once)', 0, { min: 0 }),
} as const;

export const FOLD_IN_COMMAND = defineCommand({ name: 'fold-in', options: FOLD_IN_OPTIONS });

export async function foldInCommand(argv: string[]): Promise<number> {
  const { values, neo4j } = FOLD_IN_COMMAND.parse(argv);
  const dataset = values.dataset;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  await withRunner(neo4j, async (runner) => {
    const run = await currentRun(runner, dataset);
    if (!run) throw new KgnegError(`dataset '${dataset}' has no trained run yet`, { hint: `npm run train -- --dataset ${dataset}`, exitCode: 2 });
    const k = values.k ?? Number(run['topK'] ?? 20);
    const began = Date.now();
    const users = await usersToFoldIn(runner, dataset);
    if (users.length === 0) {
      print(`every user of '${dataset}' with interactions has a vector in run ${run.runId}, and none has interactions newer than it: nothing to fold in`);
      return;
    }
    const served = await servedItemVectors(runner, dataset);
    const index = new Map(served.ids.map((id, i) => [id, i]));
    const l2 = Number((JSON.parse(String(run['configJson'] ?? '{}')) as { l2?: number }).l2 ?? DEFAULT_FOLD_IN.l2);
    const folded: FoldedUser[] = users.map((user) => {
      const positives = user.itemIds.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
      const vector = foldInUser(served.vectors, served.dim, positives, { ...DEFAULT_FOLD_IN, l2 });
      const top = topKFor(vector, served.vectors, served.dim, k, new Set(positives));
      return { userId: user.userId, vector, itemIds: top.map((t) => served.ids[t.itemIdx]!), scores: top.map((t) => t.score) };
    });
    const seconds = (Date.now() - began) / 1000;
    const refitted = users.filter((user) => user.reason === 'newer').length;
    print(
      `folded in ${folded.length} users of '${dataset}' (${folded.length - refitted} without a vector, ${refitted} refitted for newer interactions) ` +
        `against run ${run.runId} (${served.ids.length} item vectors, d ${served.dim}) in ${seconds.toFixed(1)}s`,
    );
    if (!values.write) {
      print('  not written: --write joins their vectors and top-K to the served run');
      return;
    }
    await withWriterLock(runner, dataset, { command: 'fold-in', waitSeconds: values.wait, onWait: print }, async () => {
      // The run must still be the served one: a training may have switched it while we fitted.
      const still = await currentRun(runner, dataset);
      if (still?.runId !== run.runId) throw new KgnegError(`the served run of '${dataset}' changed while folding in (now ${still?.runId ?? 'none'})`, { hint: 'run fold-in again', exitCode: 4 });
      await writeFoldedUsers(runner, dataset, { runId: run.runId, embeddingProperty: run.embeddingProperty }, folded, began);
    });
    print(`  wrote their vectors and ${folded.length * k} recommendations into run ${run.runId}`);
  });
  return 0;
}
