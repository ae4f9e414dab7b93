/** `npm run train -- --dataset NAME [--model mf] [--sampler dns] [--seed S] [--out DIR] ...` */
import { withRunner } from '../connection.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, neo4jConfigFrom, parseFlags } from '../options.js';
import { resolveTrainOptions, TRAIN_FLAGS, TRAIN_USAGE } from './options.js';
import { formatMetrics, runTraining } from './run.js';

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('train', argv, { ...CONNECTION_FLAGS, ...TRAIN_FLAGS }, `${TRAIN_USAGE}\n${CONNECTION_USAGE}`);
  const options = resolveTrainOptions(values);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const report = await withRunner(neo4jConfigFrom(values), (runner) => runTraining(runner, options, print));
  print(`final (test): ${formatMetrics(report.final)}`);
  print(`metrics: ${report.metricsPath}; curve: ${report.curvePath}`);
  return 0;
}
