/**
 * Ranking worker threads, started on first use and kept for the process (a
 * training run validates every few epochs; starting a worker costs a TypeScript
 * load and a tfjs backend initialisation). Workers are unref'd: an idle pool
 * never keeps the process alive.
 *
 * Workers load TypeScript sources through tsx, which kgneg already runs on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RankingReply, RankingTask } from './ranking-task.js';

interface PooledWorker {
  readonly worker: Worker;
  busy: boolean;
}

const pool: PooledWorker[] = [];

/** Worker threads besides the main thread: KGNEG_RANK_THREADS - 1, default one per further core, at most 7. */
export function rankingWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const requested = env['KGNEG_RANK_THREADS'];
  if (requested !== undefined && requested !== '') {
    const threads = Number(requested);
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`KGNEG_RANK_THREADS must be a positive integer, got '${requested}'`);
    return threads - 1;
  }
  return Math.min(7, Math.max(0, availableParallelism() - 1));
}

function spawn(): PooledWorker {
  // The worker registers tsx's loader itself, then imports the TypeScript entry:
  // Node 20 ignores --import loaders for a worker's own entry file.
  const tsxApi = tsxEsmApi();
  const entry = new URL('./ranking-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true });
  worker.unref();
  return { worker, busy: false };
}

/**
 * The URL of tsx's ESM register API, read from tsx's exports map: require.resolve
 * picks its CommonJS build, and import.meta.resolve is rewritten under vitest.
 */
function tsxEsmApi(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}

/** Runs the tasks on pool workers, one each, growing the pool as needed. */
export async function runOnWorkers(tasks: readonly RankingTask[]): Promise<void> {
  const free = pool.filter((w) => !w.busy).slice(0, tasks.length);
  while (free.length < tasks.length) {
    const extra = spawn();
    pool.push(extra);
    free.push(extra);
  }
  await Promise.all(tasks.map((task, t) => runOne(free[t]!, task)));
}

function runOne(pooled: PooledWorker, task: RankingTask): Promise<void> {
  pooled.busy = true;
  pooled.worker.ref();
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      pooled.busy = false;
      pooled.worker.unref();
      pooled.worker.off('message', onMessage);
      pooled.worker.off('error', onError);
    };
    const onMessage = (reply: RankingReply) => {
      cleanup();
      if (reply.ok) resolve();
      else reject(new Error(`ranking worker: ${reply.error}`));
    };
    const onError = (error: Error) => {
      cleanup();
      const index = pool.indexOf(pooled);
      if (index >= 0) pool.splice(index, 1);
      reject(new Error(`ranking worker died: ${error.message}`));
    };
    pooled.worker.on('message', onMessage);
    pooled.worker.on('error', onError);
    pooled.worker.postMessage(task);
  });
}

/** Stops the pool's workers (tests; the process exits fine without it). */
export async function closeRankingPool(): Promise<void> {
  const workers = pool.splice(0);
  await Promise.all(workers.map((w) => w.worker.terminate()));
}
