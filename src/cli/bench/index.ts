/** `npm run bench -- <name> [flags]`: benchmarks with machine-readable JSON output. */
import { KgnegError } from '../../graph/errors.js';
import { HelpRequested } from '../options.js';
import { benchExposureSamplers, benchRnsBeta } from './exposure-samplers.js';
import { benchFoldIn } from './fold-in.js';
import { benchGpuPack } from './gpu-pack.js';
import { benchIngest } from './ingest.js';
import { benchKgpolicy } from './kgpolicy.js';
import { benchMappedRead } from './mapped-read.js';
import { benchJnskr } from './jnskr.js';
import { benchRecns } from './recns.js';
import { benchRecommend } from './recommend.js';
import { benchRns } from './rns.js';
import { benchSamplers } from './samplers.js';
import { benchTrain } from './train.js';
import { benchWarmStart } from './warm-start.js';

const BENCHES: Record<string, (argv: string[]) => Promise<number>> = {
  ingest: benchIngest,
  train: benchTrain,
  samplers: benchSamplers,
  recns: benchRecns,
  jnskr: benchJnskr,
  'exposure-samplers': benchExposureSamplers,
  'rns-beta': benchRnsBeta,
  rns: benchRns,
  kgpolicy: benchKgpolicy,
  'gpu-pack': benchGpuPack,
  'fold-in': benchFoldIn,
  'mapped-read': benchMappedRead,
  'warm-start': benchWarmStart,
  recommend: benchRecommend,
};

export const BENCH_NAMES = Object.keys(BENCHES);

export async function benchCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name === undefined ? undefined : BENCHES[name];
  if (name === '--help' || name === '-h') {
    throw new HelpRequested(`usage: npm run bench -- <${BENCH_NAMES.join('|')}> [flags]   (npm run bench -- NAME --help for a benchmark's flags)`);
  }
  if (!bench) {
    throw new KgnegError(`bench: ${name === undefined ? 'name a benchmark' : `unknown benchmark '${name}'`}`, {
      hint: `npm run bench -- <${Object.keys(BENCHES).join('|')}>`,
      exitCode: 2,
    });
  }
  return bench(rest);
}
