/** `npm run recommend -- --dataset NAME --user ID [--k 20] [--vector]`: the current run's top-K from Neo4j. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getDataset } from '../../graph/datasets/dataset-repository.js';
import { KgnegError } from '../../graph/errors.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { nearestItemsForUser, parseUserId, recommendationsForUser } from '../../graph/recommendations.js';
import { currentRun } from '../../graph/write-back.js';
import { withRunner } from '../connection.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, intFlag, neo4jConfigFrom, parseFlags } from '../options.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, user: { type: 'string' }, k: { type: 'string' }, vector: { type: 'boolean' } } as const;
const USAGE = `  --dataset NAME --user ID [--k 20] [--vector: ask the vector index instead of RECOMMENDED]\n${CONNECTION_USAGE}`;

export async function recommendCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('recommend', argv, FLAGS, USAGE);
  if (!values.dataset || values.user === undefined) throw new KgnegError('recommend needs --dataset and --user', { hint: USAGE, exitCode: 2 });
  const dataset = values.dataset;
  const user = values.user;
  const k = intFlag('k', values.k, 20);
  await withRunner(neo4jConfigFrom(values), (runner) => printRecommendations(runner, dataset, user, k, values.vector === true));
  return 0;
}

export async function printRecommendations(runner: QueryRunner, dataset: string, userText: string, k: number, vector = false): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const record = await getDataset(runner, dataset);
  if (!record) throw new KgnegError(`no dataset named '${dataset}'`, { hint: 'npm run stats lists them' });
  const run = await currentRun(runner, dataset);
  if (!run) throw new KgnegError(`dataset '${dataset}' has no trained run yet`, { hint: `npm run train -- --dataset ${dataset}` });
  const userId = parseUserId(userText, (record as unknown as { idTypesJson?: string }).idTypesJson);
  const rows = vector ? await nearestItemsForUser(runner, dataset, userId, k) : await recommendationsForUser(runner, dataset, userId, k);
  if (rows.length === 0) throw new KgnegError(`no recommendations for user ${userText} in '${dataset}' (unknown user?)`);
  print(`top ${rows.length} for user ${userText} in '${dataset}' (run ${run.runId}, ${String(run['model'])} + ${String(run['sampler'])}${vector ? ', vector index' : ''}):`);
  rows.forEach((row, r) => print(`  ${String(r + 1).padStart(2)}. item ${String(row.itemId)}  score ${row.score.toFixed(4)}`));
  const file = vector ? 'nearest-items-for-user' : 'recommendations-for-user';
  print(`\nthe Cypher (cypher/runs/${file}.cypher), with $dataset = '${dataset}', $userId = ${JSON.stringify(userId)}, $k = ${k}:`);
  print(readFileSync(fileURLToPath(new URL(`../../../cypher/runs/${file}.cypher`, import.meta.url)), 'utf8').replace(/^\/\/.*\n/gm, ''));
}
