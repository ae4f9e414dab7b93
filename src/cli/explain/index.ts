/** `npm run explain -- --dataset NAME --user ID`: the current KGPolicy run's negatives of a user, their paths and why. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getDataset } from '../../graph/datasets/dataset-repository.js';
import { KgnegError } from '../../graph/errors.js';
import { explanationsForUser, pathNodeNames } from '../../graph/explanations.js';
import { mappedSlots, parseUserId } from '../../graph/recommendations.js';
import { withRunner } from '../connection.js';
import { option } from '../../base/options.js';
import { defineCommand } from '../command-options.js';

/** Every option of `npm run explain`, declared once. */
export const EXPLAIN_OPTIONS = {
  dataset: option.string('the dataset, as npm run stats lists it', undefined, { meta: 'NAME' }),
  user: option.string('the user, by the id in the dataset\'s files', undefined, { meta: 'ID' }),
} as const;

export const EXPLAIN_COMMAND = defineCommand({ name: 'explain', options: EXPLAIN_OPTIONS });

export async function explainCommand(argv: string[]): Promise<number> {
  const { values, neo4j } = EXPLAIN_COMMAND.parse(argv);
  const { dataset, user: userText } = values;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  await withRunner(neo4j, async (runner) => {
    const record = await getDataset(runner, dataset);
    if (!record) throw new KgnegError(`no dataset named '${dataset}'`, { hint: 'npm run stats lists them' });
    const userId = parseUserId(userText, (record as unknown as { idTypesJson?: string }).idTypesJson);
    const rows = await explanationsForUser(runner, dataset, userId);
    if (rows.length === 0) {
      throw new KgnegError(`no KGPolicy explanations for user ${userText} in '${dataset}'`, { hint: `the current run must be a KGPolicy run: npm run train -- --dataset ${dataset} --sampler kgpolicy` });
    }
    // On a mapped graph the path's nodes are shown by label and name, not by element id.
    const names = await pathNodeNames(runner, dataset, rows.map((row) => row.path));
    for (const row of rows) {
      print(`user ${userText}: positive item ${String(row.positive)}, KGPolicy negative item ${String(row.negative)} (run ${row.runId})`);
      print(`  path: ${row.path.map((node) => names.get(node) ?? node).join(' -> ')}${row.viaGraph ? '' : '  (a hop took a random diversity item)'}`);
      print(`  KG entities of ${String(row.positive)} that ${String(row.negative)} lacks: ${row.exclusiveEntities.length > 0 ? row.exclusiveEntities.map(String).join(', ') : 'none'}`);
    }
    const mapped = await mappedSlots(runner, dataset);
    if (mapped) {
      print(`\nthe Cypher (cypher/mapped/explain-negative.cypher on your labels), with $dataset = '${dataset}', $userId = ${JSON.stringify(String(userId))}:`);
      print(runner.statement('mapped/explain-negative', mapped).replace(/^\/\/.*\n/gm, ''));
      return;
    }
    print(`\nthe Cypher (cypher/kgpolicy/explain-negative.cypher), with $dataset = '${dataset}', $userId = ${JSON.stringify(userId)}:`);
    print(readFileSync(fileURLToPath(new URL('../../../cypher/kgpolicy/explain-negative.cypher', import.meta.url)), 'utf8').replace(/^\/\/.*\n/gm, ''));
  });
  return 0;
}
