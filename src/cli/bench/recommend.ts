/**
 * `npm run bench -- recommend [--dataset lastfm-kgcn] [--users 100] [--k 20]`
 *
 * End-to-end latency of a recommendation from the served run, in one process
 * with a warm connection, for a seeded sample of users the run knows, two
 * ways: the served list (the user's state, then the RECOMMENDED
 * relationships) and the fold-in path that a user who arrived after the run
 * takes (the user's state and interactions, the run's item vectors from
 * Neo4j, the fit, the ranking over every item). Five calls of each warm up
 * first. Median and p95 per path; JSON into bench-results/. The dataset needs
 * a served run (npm run train -- --dataset NAME).
 */
import { Rng } from '../../base/rng.js';
import { KgnegError } from '../../graph/errors.js';
import { userState } from '../../graph/fold-in-data.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { recommendationsForUser } from '../../graph/recommendations.js';
import { loadTrainingData } from '../../graph/training-data.js';
import { currentRun } from '../../graph/write-back.js';
import { CONNECTION_FLAGS, intFlag, neo4jConfigFrom, parseFlags } from '../options.js';
import { foldInRecommendations } from '../recommend/fold-in.js';
import { connectOrStartLocal } from '../start/index.js';
import { benchEnvironment, publishBenchResult } from './result.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, users: { type: 'string' }, k: { type: 'string' } } as const;

export async function benchRecommend(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- recommend', argv, FLAGS, '  --dataset NAME (lastfm-kgcn; needs a served run)  --users N (100)  --k K (20)');
  const dataset = values.dataset ?? 'lastfm-kgcn';
  const count = intFlag('users', values.users, 100);
  const k = intFlag('k', values.k, 20);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  try {
    const runner = new QueryRunner(connection);
    const run = await currentRun(runner, dataset);
    if (!run) throw new KgnegError(`bench recommend: dataset '${dataset}' has no served run`, { hint: `npm run train -- --dataset ${dataset}`, exitCode: 2 });
    const data = await loadTrainingData(runner, dataset);
    const rng = new Rng(1);
    const ids = data.users.ids;
    const sample = Array.from({ length: Math.min(count, ids.length) }, () => ids[rng.nextInt(ids.length)]!);
    const time = async (work: () => Promise<unknown>) => {
      const began = performance.now();
      await work();
      return performance.now() - began;
    };
    const served = async (userId: (typeof ids)[number]) => {
      await userState(runner, dataset, userId);
      return recommendationsForUser(runner, dataset, userId, k);
    };
    const folded = async (userId: (typeof ids)[number]) => {
      const state = await userState(runner, dataset, userId);
      if (!state) throw new KgnegError(`bench recommend: no state for user ${String(userId)}`);
      return foldInRecommendations(runner, dataset, state, k);
    };
    for (const userId of sample.slice(0, 5)) {
      await served(userId);
      await folded(userId);
    }
    const paths = { served: [] as number[], foldIn: [] as number[] };
    for (const [n, userId] of sample.entries()) {
      paths.served.push(await time(() => served(userId)));
      paths.foldIn.push(await time(() => folded(userId)));
      if ((n + 1) % 25 === 0) log(`${n + 1}/${sample.length} users`);
    }
    const stats = (list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1));
      return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
    };
    publishBenchResult(
      `recommend-${dataset}`,
      {
        bench: 'recommend',
        dataset,
        runId: run.runId,
        users: sample.length,
        items: data.items.ids.length,
        k,
        served: { ...stats(paths.served), what: 'user state + the served RECOMMENDED list' },
        foldIn: { ...stats(paths.foldIn), what: 'user state + item vectors read from Neo4j + fit + rank over every item' },
        environment: benchEnvironment(),
      },
      log,
    );
  } finally {
    await connection.close();
  }
  return 0;
}
