/**
 * Every command's options, declared once as specs (src/cli/command-options.ts),
 * fed with bad values without a database: unknown flags, non-numeric, negative
 * and zero values where an integer >= 1 is expected, unknown enum values,
 * switches given a value, required options left out. Each must be a
 * KgnegError with exit code 2 and a one-line message naming the flag; --help
 * must list every flag with its default.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { flagName, option, type OptionSpec, type OptionSpecs } from '../../src/base/options.js';
import { defineCommand, isRequired, optional, type CommandOptions } from '../../src/cli/command-options.js';
import { DB_START_COMMAND, DB_STOP_COMMAND, dbStart, dbStop } from '../../src/cli/db/index.js';
import { EXAMPLE_COMMAND, exampleCommand } from '../../src/cli/example/index.js';
import { EXPLAIN_COMMAND, explainCommand } from '../../src/cli/explain/index.js';
import { FORGET_COMMAND, forgetCommand } from '../../src/cli/forget/index.js';
import { MIGRATE_COMMAND, migrateCommand } from '../../src/cli/migrate/index.js';
import { CONNECTION_FLAGS, CONNECTION_OPTIONS, CONNECTION_USAGE, HelpRequested, parseFlags } from '../../src/cli/options.js';
import { RECOMMEND_COMMAND, recommendCommand } from '../../src/cli/recommend/index.js';
import { SETUP_TENSORFLOW_COMMAND, setupTensorflowCommand } from '../../src/cli/setup/tensorflow.js';
import { SPLIT_COMMAND, splitCommand } from '../../src/cli/split/index.js';
import { START_COMMAND, startCommand } from '../../src/cli/start/index.js';
import { STATS_COMMAND, statsCommand } from '../../src/cli/stats/index.js';
import { KgnegError } from '../../src/graph/errors.js';
import { refusal } from '../support/refusal.js';

interface Case {
  readonly command: CommandOptions<OptionSpecs>;
  /** The command as run from the entry point (example: after its `movies`). */
  readonly run: (argv: string[]) => Promise<number>;
  readonly prefix?: readonly string[];
  /** Every flag it had before the specs, which must all still be there. */
  readonly flags: readonly string[];
}

const CONNECTION = ['neo4j-uri', 'neo4j-user', 'neo4j-password', 'neo4j-database', 'data-dir'];

const CASES: readonly Case[] = [
  { command: MIGRATE_COMMAND, run: migrateCommand, flags: ['dataset', 'mapping', 'name', 'format', 'split-seed', 'replace', 'batch-size', 'concurrency', ...CONNECTION] },
  { command: SPLIT_COMMAND, run: splitCommand, flags: ['name', 'seed', ...CONNECTION] },
  { command: STATS_COMMAND, run: statsCommand, flags: ['dataset', ...CONNECTION] },
  { command: RECOMMEND_COMMAND, run: recommendCommand, flags: ['dataset', 'user', 'k', 'vector', ...CONNECTION] },
  { command: EXPLAIN_COMMAND, run: explainCommand, flags: ['dataset', 'user', ...CONNECTION] },
  { command: FORGET_COMMAND, run: forgetCommand, flags: ['dataset', ...CONNECTION] },
  { command: EXAMPLE_COMMAND, run: exampleCommand, prefix: ['movies'], flags: ['dataset', ...CONNECTION] },
  { command: DB_START_COMMAND, run: dbStart, flags: ['heap', ...CONNECTION] },
  { command: DB_STOP_COMMAND, run: dbStop, flags: CONNECTION },
  { command: SETUP_TENSORFLOW_COMMAND, run: setupTensorflowCommand, flags: ['wheel', 'cache', 'force'] },
  { command: START_COMMAND, run: startCommand, flags: ['dataset', 'name', 'model', 'sampler', 'seed', 'max-epochs', ...CONNECTION] },
].map((c) => ({ ...c, command: c.command as unknown as CommandOptions<OptionSpecs> }));

/** A mistake as the user sees it: one line, exit code 2, the command's name first. */
function expectOneLine(error: KgnegError, command: string, ...parts: string[]): void {
  expect(error.exitCode).toBe(2);
  expect(error.message).not.toContain('\n');
  expect(error.hint).toBeUndefined();
  expect(error.message.startsWith(`${command}: `)).toBe(true);
  expect(error.message).not.toMatch(/internal error/);
  for (const part of parts) expect(error.message).toContain(part);
}

/** A value the spec accepts, as typed on the command line. */
function goodText(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'int':
    case 'number':
      return String(Math.max(1, Number(/>=? (-?\d+)/.exec(spec.expected)?.[1] ?? 1)));
    case 'enum':
      return spec.values![0]!;
    case 'list':
      return '1,2';
    default:
      return 'x';
  }
}

/** Bad command-line texts for an option, from its declared kind and range. */
function badTexts(spec: OptionSpec): string[] {
  switch (spec.kind) {
    case 'int': {
      const out = ['abc', '1.5', '', '1e400', 'NaN'];
      const min = />= (-?\d+)/.exec(spec.expected);
      if (min) out.push(String(Number(min[1]) - 1));
      if (min && Number(min[1]) >= 1) out.push('0', '-3');
      const max = /<= (-?\d+)/.exec(spec.expected);
      if (max) out.push(String(Number(max[1]) + 1));
      return out;
    }
    case 'enum':
      return ['nope', ''];
    case 'string':
      return [''];
    default:
      return [];
  }
}

/** The command line with every required option set, so that only the mistake under test is one. */
function requiredArgs(specs: OptionSpecs, except?: string): string[] {
  return Object.entries(specs)
    .filter(([key, spec]) => key !== except && isRequired(spec))
    .flatMap(([key, spec]) => [`--${flagName(key, spec)}`, goodText(spec)]);
}

describe.each(CASES.map((c) => [c.command.name, c] as const))('%s', (name, { command, run, prefix = [], flags }) => {
  const specs = command.all;
  const entries = Object.entries(specs);

  it('keeps every flag it had, and parses a good command line', () => {
    expect(Object.keys(command.flags).filter((f) => !f.startsWith('no-') || !(f.slice(3) in command.flags)).sort()).toEqual([...flags].sort());
    const { values } = command.parse(requiredArgs(specs));
    for (const [key, spec] of Object.entries(command.options)) {
      if (!isRequired(spec)) expect((values as Record<string, unknown>)[key]).toEqual(spec.default);
    }
  });

  it('--help lists every flag with its default and doc, connection flags after', () => {
    for (const argv of [['--help'], ['-h'], ['--nope', '--help'], [...requiredArgs(specs), '--k', '0', '--help']]) {
      let help: HelpRequested | undefined;
      try {
        command.parse(argv);
      } catch (error) {
        if (error instanceof HelpRequested) help = error;
        else throw error;
      }
      expect(help, `${name} ${argv.join(' ')}`).toBeInstanceOf(HelpRequested);
      const text = help!.text;
      expect(text.split('\n')[0]).toMatch(new RegExp(`^usage: npm (run )?${name.replace(/[:]/g, '\\$&')}`));
      for (const [key, spec] of entries) {
        const line = text.split('\n').find((l) => l.startsWith(`  --${flagName(key, spec)} `));
        expect(line, `--${flagName(key, spec)} in ${name} --help`).toBeDefined();
        expect(line).toContain(spec.doc);
        if (spec.default !== undefined) expect(line).toContain(`default ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)}`);
        else expect(line).toContain(isRequired(spec) ? 'required' : spec.defaultDoc!);
      }
      const connection = text.indexOf('\nconnection:\n');
      if (flags.includes('neo4j-uri')) {
        expect(connection).toBeGreaterThan(0);
        expect(text.slice(connection)).toContain(CONNECTION_USAGE);
      } else expect(connection).toBe(-1);
    }
  });

  it('refuses an unknown flag in one line, with the closest valid one', () => {
    expectOneLine(refusal(() => command.parse(['--frobnicate-everything'])), name, "Unknown option '--frobnicate-everything'", 'valid: --');
    expectOneLine(refusal(() => command.parse(['-x'])), name, "Unknown option '-x'");
    for (const [key, spec] of entries) {
      const flag = flagName(key, spec);
      if (flag.length < 4) continue;
      const typo = `--${flag.slice(0, -1)}`;
      expectOneLine(refusal(() => command.parse([typo, 'v'])), name, `Unknown option '${typo}'`, `did you mean '--${flag}'?`);
    }
  });

  it('refuses a stray argument in one line', () => {
    expectOneLine(refusal(() => command.parse(['stray'])), name, "unexpected argument 'stray'");
  });

  it('refuses a bad value of every option in one line naming the flag and what it expects', () => {
    for (const [key, spec] of entries) {
      const flag = `--${flagName(key, spec)}`;
      const base = requiredArgs(specs, key);
      for (const text of badTexts(spec)) {
        // `--k -3` reads as a flag without its value (parseArgs); `--k=-3` is the value.
        if (!text.startsWith('-')) expectOneLine(refusal(() => command.parse([...base, flag, text])), name, `${flag} expects ${spec.expected}, got '${text}'`);
        expectOneLine(refusal(() => command.parse([...base, `${flag}=${text}`])), name, `${flag} expects ${spec.expected}, got '${text}'`);
      }
      if (spec.kind === 'boolean') {
        expectOneLine(refusal(() => command.parse([...base, `${flag}=yes`])), name, `${flag} is a switch`);
        expectOneLine(refusal(() => command.parse([...base, flag, `--no-${flag.slice(2)}`])), name, `${flag} and --no-${flag.slice(2)} contradict each other`);
        expect((command.parse([...base, `--no-${flag.slice(2)}`]).values as Record<string, unknown>)[key] ?? false).toBe(false);
      } else {
        expectOneLine(refusal(() => command.parse([...base, flag])), name, `${flag} needs a value`);
        expectOneLine(refusal(() => command.parse([...base, flag, '-5'])), name, `${flag} needs a value`, `${flag}=-VALUE`);
      }
    }
  });

  it('reports a required option left out in one line naming it', () => {
    for (const [key, spec] of entries.filter(([, s]) => isRequired(s))) {
      expectOneLine(refusal(() => command.parse(requiredArgs(specs, key))), name, `missing --${flagName(key, spec)}`);
    }
  });

  it('is wired into its command: the mistake is refused before anything runs', async () => {
    const error = await run([...prefix, '--frobnicate']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KgnegError);
    expectOneLine(error as KgnegError, name, "Unknown option '--frobnicate'");
    const help = await run([...prefix, '--help']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(help).toBeInstanceOf(HelpRequested);
    expect((help as HelpRequested).text).toBe(command.help());
  });
});

describe('the commands of the issue', () => {
  it('recommend --k 0 / abc / -1 and a missing --user', () => {
    expectOneLine(refusal(() => RECOMMEND_COMMAND.parse(['--k', '0', '--dataset', 'x', '--user', '1'])), 'recommend', "--k expects an integer >= 1, got '0'");
    expectOneLine(refusal(() => RECOMMEND_COMMAND.parse(['--k', 'abc', '--dataset', 'x', '--user', '1'])), 'recommend', "--k expects an integer >= 1, got 'abc'");
    expectOneLine(refusal(() => RECOMMEND_COMMAND.parse(['--k=-1', '--dataset', 'x', '--user', '1'])), 'recommend', "--k expects an integer >= 1, got '-1'");
    expectOneLine(refusal(() => RECOMMEND_COMMAND.parse(['--dataset', 'x'])), 'recommend', 'missing --user ID');
    expectOneLine(refusal(() => RECOMMEND_COMMAND.parse([])), 'recommend', 'missing --dataset NAME, --user ID');
    const { values } = RECOMMEND_COMMAND.parse(['--dataset', 'x', '--user', '7', '--k', '5', '--vector']);
    expect(values).toEqual({ dataset: 'x', user: '7', k: 5, vector: true });
    expectTypeOf(values.k).toEqualTypeOf<number>();
    expectTypeOf(values.user).toEqualTypeOf<string>();
    expectTypeOf(values.vector).toEqualTypeOf<boolean>();
  });

  it('migrate: --format, --split-seed, --batch-size, --concurrency typed and checked', () => {
    expectOneLine(refusal(() => MIGRATE_COMMAND.parse(['--format', 'parquet'])), 'migrate', "--format expects one of kgat, kgcn, recbole, mind, got 'parquet'");
    expectOneLine(refusal(() => MIGRATE_COMMAND.parse(['--batch-size', '0'])), 'migrate', "--batch-size expects an integer >= 1, got '0'");
    expectOneLine(refusal(() => MIGRATE_COMMAND.parse(['--concurrency', 'two'])), 'migrate', "--concurrency expects an integer >= 1, got 'two'");
    expectOneLine(refusal(() => MIGRATE_COMMAND.parse(['--split-seed=-1'])), 'migrate', "--split-seed expects an integer >= 0, got '-1'");
    const { values } = MIGRATE_COMMAND.parse(['--dataset', 'd', '--format', 'kgat', '--split-seed', '7', '--replace', '--batch-size', '100', '--concurrency', '3']);
    expect(values).toEqual({ dataset: 'd', mapping: undefined, name: undefined, format: 'kgat', splitSeed: 7, replace: true, batchSize: 100, concurrency: 3 });
    expect(MIGRATE_COMMAND.parse([]).values).toEqual({ dataset: undefined, mapping: undefined, name: undefined, format: undefined, splitSeed: undefined, replace: false, batchSize: undefined, concurrency: undefined });
    expectTypeOf(values.splitSeed).toEqualTypeOf<number | undefined>();
    expectTypeOf(values.replace).toEqualTypeOf<boolean>();
  });

  it('start: train\'s specs with start\'s defaults, passed on to trainOptionsFrom', () => {
    expect(START_COMMAND.parse([]).values).toMatchObject({ name: undefined, model: 'mf', sampler: 'dns', seed: 1, maxEpochs: 300 });
    expectOneLine(refusal(() => START_COMMAND.parse(['--model', 'nope'])), 'start', '--model expects one of mf,');
    expectOneLine(refusal(() => START_COMMAND.parse(['--sampler', 'nope'])), 'start', '--sampler expects one of uniform,');
    expectOneLine(refusal(() => START_COMMAND.parse(['--max-epochs', '0'])), 'start', "--max-epochs expects an integer >= 1, got '0'");
    expectOneLine(refusal(() => START_COMMAND.parse(['--seed', '1.5'])), 'start', "--seed expects an integer >= 0, got '1.5'");
    expect(START_COMMAND.help()).toMatch(/^usage: npm start -- /);
  });

  it('split needs --name and --seed; stats takes an optional --dataset', () => {
    expectOneLine(refusal(() => SPLIT_COMMAND.parse(['--name', 'x'])), 'split', 'missing --seed N');
    expect(SPLIT_COMMAND.parse(['--name', 'x', '--seed', '0']).values).toEqual({ name: 'x', seed: 0 });
    const stats = STATS_COMMAND.parse([]).values;
    expect(stats.dataset).toBeUndefined();
    expectTypeOf(stats.dataset).toEqualTypeOf<string | undefined>();
    expect(STATS_COMMAND.parse(['--dataset', 'shop']).values.dataset).toBe('shop');
  });

  it('example: --help before or after its name, a bad flag after it', async () => {
    await expect(exampleCommand(['--help'])).rejects.toBeInstanceOf(HelpRequested);
    await expect(exampleCommand(['-h'])).rejects.toBeInstanceOf(HelpRequested);
    expect(EXAMPLE_COMMAND.help()).toMatch(/^usage: npm run example -- movies \[options\]/);
    const error = await exampleCommand(['movies', '--dataset']).catch((e: unknown) => e);
    expectOneLine(error as KgnegError, 'example', '--dataset needs a value');
  });

  it('setup:tensorflow takes no connection flags', () => {
    expectOneLine(refusal(() => SETUP_TENSORFLOW_COMMAND.parse(['--neo4j-uri', 'bolt://x'])), 'setup:tensorflow', "Unknown option '--neo4j-uri'");
    expect(SETUP_TENSORFLOW_COMMAND.parse([]).values).toEqual({ wheel: '2.18.1', cache: undefined, force: false });
  });
});

describe('the connection flags', () => {
  it('are specs, the flags and usage derived from them', () => {
    expect(Object.keys(CONNECTION_FLAGS)).toEqual(Object.entries(CONNECTION_OPTIONS).map(([key, spec]) => flagName(key, spec)));
    expect(Object.keys(CONNECTION_FLAGS)).toEqual(CONNECTION);
    for (const [key, spec] of Object.entries(CONNECTION_OPTIONS)) expect(CONNECTION_USAGE).toContain(`--${flagName(key, spec)} ${spec.meta}`);
  });

  it('override the environment in the config a command connects with', () => {
    const { neo4j } = STATS_COMMAND.parse(['--neo4j-uri', 'bolt://db.example:7688', '--neo4j-user', 'u', '--neo4j-password', 'p', '--neo4j-database', 'd']);
    expect(neo4j).toMatchObject({ uri: 'bolt://db.example:7688', user: 'u', password: 'p', database: 'd' });
    expectOneLine(refusal(() => STATS_COMMAND.parse(['--neo4j-uri', ''])), 'stats', "--neo4j-uri expects a non-empty string, got ''");
  });

  it('parseFlags (train, bench) turns parseArgs errors into one line, with its usage as hint', () => {
    const error = refusal(() => parseFlags('bench -- x', ['--datset', 'y'], { ...CONNECTION_FLAGS, dataset: { type: 'string' } }, '  --dataset NAME'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("bench -- x: Unknown option '--datset'; did you mean '--dataset'?");
    expect(error.hint).toContain('--dataset NAME');
  });
});

describe('defineCommand', () => {
  const specs = { count: optional(option.int('how many', undefined, { min: 1 }), 'all') } as const;

  it('an optional option is undefined when absent, and says what then in --help', () => {
    const command = defineCommand({ name: 'demo', options: specs, connection: false });
    expect(command.parse([]).values.count).toBeUndefined();
    expect(command.parse(['--count', '3']).values.count).toBe(3);
    expect(command.help()).toContain('how many (all)');
    expect(command.help()).toMatch(/^usage: npm run demo -- \[options\]/);
  });

  it('refuses two options with one flag, or one that shadows --help', () => {
    const k = RECOMMEND_COMMAND.options.k;
    expect(() => defineCommand({ name: 'demo', options: { help: k } })).toThrow(/--help/);
    expect(() => defineCommand({ name: 'demo', options: { neo4jUri: k } })).toThrow(/connection option/);
    expect(() => defineCommand({ name: 'demo', options: { uri: { ...k, flag: 'neo4j-uri' } } })).toThrow(/--neo4j-uri twice/);
    expect(defineCommand({ name: 'demo', options: { uri: { ...k, flag: 'neo4j-uri' } }, connection: false }).flags).toHaveProperty('neo4j-uri');
  });
});
