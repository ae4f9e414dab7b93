/**
 * `npm run fold-in -- --dataset NAME [--k 20] [--write] [--wait S]`: every user
 * with interactions whom the served run has no vector for (users who arrived
 * after it) is fitted against the run's item vectors (src/train/fold-in.ts)
 * and ranked; with --write their vectors and top-K join the served run,
 * under the dataset's writer lock, in the run's own property and runId.
 */
import { withWriterLock } from '../../graph/dataset-lock.js';
import { KgnegError } from '../../graph/errors.js';
import { servedItemVectors, usersWithoutVector, writeFoldedUsers, type FoldedUser } from '../../graph/fold-in-data.js';
import { currentRun } from '../../graph/write-back.js';
import { DEFAULT_FOLD_IN, foldInUser, topKFor } from '../../train/fold-in.js';
import { withRunner } from '../connection.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, intFlag, neo4jConfigFrom, parseFlags } from '../options.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, k: { type: 'string' }, write: { type: 'boolean' }, wait: { type: 'string' } } as const;
const USAGE = `  --dataset NAME   --k K (top-K per user, default: the run's)   --write (join them to the served run)   --wait S (seconds to wait for another writer)\n${CONNECTION_USAGE}`;

export async function foldInCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('fold-in', argv, FLAGS, USAGE);
  const dataset = values.dataset;
  if (!dataset) throw new KgnegError('fold-in needs --dataset NAME', { hint: USAGE, exitCode: 2 });
  const print = (line: string) => process.stdout.write(`${line}\n`);
  await withRunner(neo4jConfigFrom(values), async (runner) => {
    const run = await currentRun(runner, dataset);
    if (!run) throw new KgnegError(`dataset '${dataset}' has no trained run yet`, { hint: `npm run train -- --dataset ${dataset}`, exitCode: 2 });
    const k = intFlag('k', values.k, Number(run['topK'] ?? 20));
    if (k < 1) throw new KgnegError(`--k expects an integer >= 1, got ${k}`, { exitCode: 2 });
    const began = Date.now();
    const users = await usersWithoutVector(runner, dataset);
    if (users.length === 0) {
      print(`every user of '${dataset}' with interactions has a vector in run ${run.runId}: nothing to fold in`);
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
    print(`folded in ${folded.length} users of '${dataset}' against run ${run.runId} (${served.ids.length} item vectors, d ${served.dim}) in ${seconds.toFixed(1)}s`);
    if (!values.write) {
      print('  not written: --write joins their vectors and top-K to the served run');
      return;
    }
    const wait = intFlag('wait', values.wait, 0);
    await withWriterLock(runner, dataset, { command: 'fold-in', waitSeconds: wait, onWait: print }, async () => {
      // The run must still be the served one: a training may have switched it while we fitted.
      const still = await currentRun(runner, dataset);
      if (still?.runId !== run.runId) throw new KgnegError(`the served run of '${dataset}' changed while folding in (now ${still?.runId ?? 'none'})`, { hint: 'run fold-in again', exitCode: 4 });
      await writeFoldedUsers(runner, dataset, { runId: run.runId, embeddingProperty: run.embeddingProperty }, folded);
    });
    print(`  wrote their vectors and ${folded.length * k} recommendations into run ${run.runId}`);
  });
  return 0;
}
