/** `npm run train -- --dataset NAME [--model mf] [--sampler dns] [--seed S] [--out DIR] ...`; `--help` lists every option. */
import { withRunner } from '../connection.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, neo4jConfigFrom, parseFlags } from '../options.js';
import { resolveTrainOptions, TRAIN_FLAGS, trainHelp } from './options.js';
import { runTraining } from './run.js';

export async function trainCommand(argv: string[]): Promise<number> {
  const { values: parsed } = parseFlags('train', argv, { ...CONNECTION_FLAGS, ...TRAIN_FLAGS }, 'npm run train -- --help lists every option');
  const values = parsed as Record<string, unknown>;
  if (values['help'] === true) {
    process.stdout.write(`${trainHelp(values)}\n\nconnection:\n${CONNECTION_USAGE}\n`);
    return 0;
  }
  const options = resolveTrainOptions(values);
  // --verbose is also the entry point's (stack traces): read it from the process's arguments.
  const mode = values['quiet'] === true ? 'quiet' : process.argv.includes('--verbose') ? 'verbose' : 'normal';
  await withRunner(neo4jConfigFrom(values), (runner) => runTraining(runner, options, { mode }));
  return 0;
}
