/** `npm run forget -- --dataset NAME`: remove everything kgneg wrote for a dataset (see src/graph/forget.ts). */
import { KgnegError } from '../../graph/errors.js';
import { forgetDataset } from '../../graph/forget.js';
import { withRunner } from '../connection.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, neo4jConfigFrom, parseFlags } from '../options.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' } } as const;

export async function forgetCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('forget', argv, FLAGS, `  --dataset NAME   the dataset (an ingested one goes whole; a mapped graph loses only kgneg's write-back)\n${CONNECTION_USAGE}`);
  const name = values.dataset;
  if (!name) throw new KgnegError('forget needs --dataset NAME', { hint: 'npm run stats lists them', exitCode: 2 });
  const report = await withRunner(neo4jConfigFrom(values), (runner) => forgetDataset(runner, name));
  if (!report) throw new KgnegError(`no dataset named '${name}'`, { hint: 'npm run stats lists them', exitCode: 2 });
  process.stdout.write(
    report.kind === 'graph'
      ? `forgot '${name}': ${report.runs} runs, their properties, recommendations and indexes are gone; your graph is as it was (${report.seconds.toFixed(1)}s)\n`
      : `forgot '${name}': its nodes, relationships and ${report.runs} runs are gone (${report.seconds.toFixed(1)}s)\n`,
  );
  return 0;
}
