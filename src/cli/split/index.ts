/** `npm run split -- --name N --seed S`: another seeded split, from what Neo4j holds. */
import { KgnegError } from '../../graph/errors.js';
import { resplitDataset } from '../../graph/datasets/resplit.js';
import { withRunner } from '../connection.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, intFlag, neo4jConfigFrom, parseFlags } from '../options.js';
import { progressBar } from '../progress.js';

const FLAGS = { ...CONNECTION_FLAGS, name: { type: 'string' }, seed: { type: 'string' } } as const;

export async function splitCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('split', argv, FLAGS, `  --name NAME --seed N\n${CONNECTION_USAGE}`);
  if (values.name === undefined || values.seed === undefined) {
    throw new KgnegError('split needs --name and --seed', { hint: 'npm run split -- --name lastfm-kgcn --seed 7', exitCode: 2 });
  }
  const name = values.name;
  const seed = intFlag('seed', values.seed, 0);
  const bar = progressBar('re-split');
  const report = await withRunner(neo4jConfigFrom(values), (runner) =>
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
