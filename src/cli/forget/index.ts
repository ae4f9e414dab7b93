/** `npm run forget -- --dataset NAME`: remove everything kgneg wrote for a dataset (see src/graph/forget.ts). */
import { KgnegError } from '../../graph/errors.js';
import { forgetDataset } from '../../graph/forget.js';
import { withRunner } from '../connection.js';
import { option } from '../../base/options.js';
import { defineCommand } from '../command-options.js';

/** Every option of `npm run forget`, declared once. */
export const FORGET_OPTIONS = {
  dataset: option.string("the dataset (an ingested one goes whole; a mapped graph loses only kgneg's write-back)", undefined, { meta: 'NAME' }),
} as const;

export const FORGET_COMMAND = defineCommand({ name: 'forget', options: FORGET_OPTIONS });

export async function forgetCommand(argv: string[]): Promise<number> {
  const { values, neo4j } = FORGET_COMMAND.parse(argv);
  const name = values.dataset;
  const report = await withRunner(neo4j, (runner) => forgetDataset(runner, name));
  if (!report) throw new KgnegError(`no dataset named '${name}'`, { hint: 'npm run stats lists them', exitCode: 2 });
  process.stdout.write(
    report.kind === 'graph'
      ? `forgot '${name}': ${report.runs} runs, their properties, recommendations and indexes are gone; your graph is as it was (${report.seconds.toFixed(1)}s)\n`
      : `forgot '${name}': its nodes, relationships and ${report.runs} runs are gone (${report.seconds.toFixed(1)}s)\n`,
  );
  return 0;
}
