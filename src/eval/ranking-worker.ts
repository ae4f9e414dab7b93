/**
 * A ranking worker thread: selects the main thread's tfjs backend once, then
 * ranks the users of each task it is sent with the same code as the main
 * thread, writing top-K lists into the task's shared buffers.
 */
import { parentPort } from 'node:worker_threads';
import { selectBackend, type BackendRequest } from '../train/backend.js';
import { rankChunks } from './rank-chunks.js';
import type { RankingReply, RankingTask } from './ranking-task.js';

if (!parentPort) throw new Error('ranking-worker.ts runs as a worker thread');
const port = parentPort;

port.on('message', (task: RankingTask) => {
  void run(task).then((reply) => port.postMessage(reply));
});

async function run(task: RankingTask): Promise<RankingReply> {
  try {
    await selectBackend(task.backend as BackendRequest);
    // rankChunks reports users in list order.
    let r = 0;
    rankChunks(
      { dim: task.dim, users: task.users, items: task.items },
      task.userList,
      task.exclude,
      task.k,
      (_u, itemIdxs, scores) => {
        task.outItems.set(itemIdxs, r * task.k);
        task.outScores.set(scores, r * task.k);
        task.outCounts[r] = itemIdxs.length;
        r += 1;
      },
      task.chunkUsers,
    );
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
