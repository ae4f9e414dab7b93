/**
 * `npm run recommend -- --dataset NAME --user ID [--k 20] [--vector]`: the current run's top-K from Neo4j,
 * each item with its rank, score, id and display name, under a few of the user's own training items.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getDataset } from '../../graph/datasets/dataset-repository.js';
import { KgnegError } from '../../graph/errors.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import type { ExternalId } from '../../base/ids.js';
import {
  type DisplayName,
  mappedSlots,
  nearestItemsForUser,
  parseUserId,
  recommendationsForUser,
  userTrainingItems,
} from '../../graph/recommendations.js';
import { currentRun } from '../../graph/write-back.js';
import { userState } from '../../graph/fold-in-data.js';
import { foldInRecommendations } from './fold-in.js';
import { withRunner } from '../connection.js';
import { option } from '../../base/options.js';
import { defineCommand } from '../command-options.js';

/** Every option of `npm run recommend`, declared once. */
export const RECOMMEND_OPTIONS = {
  dataset: option.string('the dataset, as npm run stats lists it', undefined, { meta: 'NAME' }),
  user: option.string('the user, by the id in the dataset\'s files', undefined, { meta: 'ID' }),
  k: option.int('how many items', 20, { min: 1 }),
  vector: option.boolean('ask the vector index instead of the RECOMMENDED relationships', false),
} as const;

export const RECOMMEND_COMMAND = defineCommand({ name: 'recommend', options: RECOMMEND_OPTIONS });

export async function recommendCommand(argv: string[]): Promise<number> {
  const { values, neo4j } = RECOMMEND_COMMAND.parse(argv);
  const { dataset, user, k, vector } = values;
  await withRunner(neo4j, (runner) => printRecommendations(runner, dataset, user, k, vector));
  return 0;
}

/** How many of the user's own training items are shown above the list. */
export const LIKED_SHOWN = 5;

/**
 * Prints the user's top-K with rank, score, item id and display name (see
 * DisplayName in recommendations.ts), under a few of the user's own training
 * items, so that a person can judge the list; then the Cypher that returns it.
 */
export interface RecommendationsView {
  /** The user's own items shown (default LIKED_SHOWN). */
  readonly liked?: number;
  /** The Cypher printed in full (recommend) or as its file and parameters only (npm start). */
  readonly cypher?: 'full' | 'file';
}

export async function printRecommendations(runner: QueryRunner, dataset: string, userText: string, k: number, vector = false, view: RecommendationsView = {}): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const record = await getDataset(runner, dataset);
  if (!record) throw new KgnegError(`no dataset named '${dataset}'`, { hint: 'npm run stats lists them' });
  const run = await currentRun(runner, dataset);
  if (!run) throw new KgnegError(`dataset '${dataset}' has no trained run yet`, { hint: `npm run train -- --dataset ${dataset}` });
  const userId = parseUserId(userText, (record as unknown as { idTypesJson?: string }).idTypesJson);
  // A user who arrived after the run, or whose interactions are newer than it: fitted against its item
  // vectors now (npm run fold-in -- --write stores it); anyone else gets the served list.
  const state = await userState(runner, dataset, userId);
  if (!state?.known) throw new KgnegError(`no user ${userText} in '${dataset}'`, { hint: 'check the id (npm run stats shows the counts)', exitCode: 2 });
  let rows: ReadonlyArray<{ itemId: ExternalId; score: number; name: DisplayName; rank?: number }> = [];
  let foldedIn = false;
  if (state.hasVector && !state.newer) {
    rows = vector ? await nearestItemsForUser(runner, dataset, userId, k) : await recommendationsForUser(runner, dataset, userId, k);
    if (rows.length === 0) throw new KgnegError(`no recommendations for user ${userText} in '${dataset}': the served run lists none`);
  } else {
    if (state.itemIds.length === 0) throw new KgnegError(`no recommendations for user ${userText} in '${dataset}': the user has no interactions to recommend from`);
    const l2 = Number((JSON.parse(String(run['configJson'] ?? '{}')) as { l2?: number }).l2 ?? Number.NaN);
    const folded = await foldInRecommendations(runner, dataset, state, k, Number.isFinite(l2) ? l2 : undefined);
    const why = state.hasVector ? `has interactions newer than run ${run.runId}: refitted` : `is not in run ${run.runId}: folded in`;
    print(`user ${userText} ${why} from ${folded.interactions} interactions against its ${folded.items} item vectors in ${folded.milliseconds} ms`);
    rows = folded.rows;
    foldedIn = true;
  }
  const liked = await userTrainingItems(runner, dataset, userId, view.liked ?? LIKED_SHOWN);
  if (liked.total === 0) {
    print(`user ${userText} has no training items in '${dataset}'`);
  } else {
    const order = liked.items.some((item) => item.rating !== null)
      ? ', best rated first'
      : liked.items.some((item) => item.latest !== null)
        ? ', latest first'
        : '';
    print(`user ${userText} liked (${liked.items.length} of ${liked.total} training items${order}):`);
    const width = Math.max(...liked.items.map((item) => String(item.itemId).length));
    for (const item of liked.items) {
      const rating = item.rating === null ? '' : `  (rated ${formatRating(item.rating)})`;
      print(`   - item ${String(item.itemId).padEnd(width)}${nameColumn(item.name)}${rating}`);
    }
  }
  print(`top ${rows.length} for user ${userText} in '${dataset}' (run ${run.runId}, ${String(run['model'])} + ${String(run['sampler'])}${vector ? ', vector index' : ''}${foldedIn ? ', folded in' : ''}):`);
  const width = Math.max(...rows.map((row) => String(row.itemId).length));
  rows.forEach((row, r) =>
    print(`  ${String(row.rank ?? r + 1).padStart(2)}. item ${String(row.itemId).padEnd(width)}  score ${row.score.toFixed(4)}${nameColumn(row.name)}`),
  );
  const file = vector ? 'nearest-items-for-user' : 'recommendations-for-user';
  const mapped = await mappedSlots(runner, dataset);
  if (view.cypher === 'file') {
    const params = `$dataset = '${dataset}', $userId = ${JSON.stringify(mapped ? String(userId) : userId)}, $k = ${k}`;
    print(`the Cypher that returns them: cypher/${mapped ? 'mapped' : 'runs'}/${file}.cypher with ${params} (npm run recommend prints it)`);
    return;
  }
  if (mapped) {
    // On a mapped graph the statement is shown with the graph's own labels filled in.
    print(`\nthe Cypher (cypher/mapped/${file}.cypher on your labels), with $dataset = '${dataset}', $userId = ${JSON.stringify(String(userId))}, $k = ${k}:`);
    print(runner.statement(`mapped/${file}`, mapped).replace(/^\/\/.*\n/gm, ''));
    return;
  }
  print(`\nthe Cypher (cypher/runs/${file}.cypher), with $dataset = '${dataset}', $userId = ${JSON.stringify(userId)}, $k = ${k}:`);
  print(readFileSync(fileURLToPath(new URL(`../../../cypher/runs/${file}.cypher`, import.meta.url)), 'utf8').replace(/^\/\/.*\n/gm, ''));
}

/** Two spaces and the name, or nothing for an item without one. */
function nameColumn(name: DisplayName): string {
  return name === null || name === '' ? '' : `  ${name}`;
}

function formatRating(rating: number): string {
  return Number.isInteger(rating) ? String(rating) : rating.toFixed(1);
}
