/** `npm run split -- --name N --seed S`: another seeded split, from what Neo4j holds. */
import { option } from '../../base/options.js';
import { resplitDataset } from '../../graph/datasets/resplit.js';
import { defineCommand } from '../command-options.js';
import { withRunner } from '../connection.js';
import { progressBar } from '../progress.js';

/** Every option of `npm run split`, declared once. */
export const SPLIT_OPTIONS = {
  name: option.string('the dataset to re-split, as npm run stats lists it', undefined, { meta: 'NAME' }),
  seed: option.int('seed of the new split', undefined, { min: 0 }),
} as const;

export const SPLIT_COMMAND = defineCommand({ name: 'split', options: SPLIT_OPTIONS });

export async function splitCommand(argv: string[]): Promise<number> {
  const { values, neo4j } = SPLIT_COMMAND.parse(argv);
  const { name, seed } = values;
  const bar = progressBar('re-split');
  const report = await withRunner(neo4j, (runner) =>
    resplitDataset(runner, name, seed, (done, total) => bar.update(done, total)),
  );
  bar.finish();
  const c = report.interactions;
  process.stdout.write(
    `dataset '${report.name}' re-split with seed ${report.seed} in ${report.seconds.toFixed(1)}s: ` +
      `train ${c.train}, valid ${c.valid}, test ${c.test}; ${report.changed} interactions changed split\n`,
  );
  return 0;
}
