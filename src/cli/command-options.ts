/**
 * A command's options, declared once. Each command lists its options as
 * OptionSpecs (src/base/options.ts: type and range as a zod schema, a default,
 * a one-line doc); defineCommand derives from them
 *
 * - the parseArgs flags: the key in kebab-case, switches as --x / --no-x,
 *   every other option takes a value;
 * - `npm run <command> -- --help`: the usage line, every option with its
 *   default (or "required", or what happens without it) and doc, then the
 *   connection flags;
 * - typed, checked values: every mistake (an unknown flag, with the closest
 *   valid one; a bad value, naming the flag and what it expects; a required
 *   option left out) is one line and exit code 2.
 *
 * An option without a default is required unless wrapped in `optional(spec,
 * whenAbsent)`; then its value is undefined when not given. Commands that talk
 * to Neo4j take the connection flags (CONNECTION_OPTIONS) too.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { flagName, fromFlag, helpLines, OptionError, type OptionSpec, type OptionSpecs } from '../base/options.js';
import type { Neo4jConfig } from '../graph/config.js';
import { KgnegError } from '../graph/errors.js';
import { asksHelp, CONNECTION_OPTIONS, flagErrorText, HelpRequested, isOptional, neo4jConfigFrom } from './options.js';

export { optional, type Optional } from './options.js';

type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;

/** The values of a command's options: optional ones may be undefined, all others are set. */
export type CommandValues<S extends OptionSpecs> = {
  readonly [K in keyof S]: S[K] extends { readonly optional: true } ? ValueOf<S[K]> | undefined : ValueOf<S[K]>;
};

export interface CommandDefinition<S extends OptionSpecs> {
  /** As typed after `npm run` (migrate, db:start); messages start with it. */
  readonly name: string;
  readonly options: S;
  /** What follows `npm run <name> --` in the usage line; by default the required flags, then [options]. */
  readonly synopsis?: string;
  /** How the command is run, when not `npm run <name>` (npm start). */
  readonly invocation?: string;
  /** Takes the Neo4j connection flags (default true). */
  readonly connection?: boolean;
}

export interface ParsedCommand<S extends OptionSpecs> {
  readonly values: CommandValues<S>;
  /** The connection flags over the environment over the defaults (only the latter two without connection flags). */
  readonly neo4j: Neo4jConfig;
}

export interface CommandOptions<S extends OptionSpecs> {
  readonly name: string;
  readonly options: S;
  /** Every option the command reads: its own, then the connection flags where it takes them. */
  readonly all: OptionSpecs;
  /** parseArgs configuration. */
  readonly flags: NonNullable<ParseArgsConfig['options']>;
  help(): string;
  /** Checked values; `--help` throws HelpRequested, every mistake a KgnegError with exit code 2. */
  parse(argv: readonly string[]): ParsedCommand<S>;
}

export function isRequired(spec: OptionSpec): boolean {
  return spec.default === undefined && !isOptional(spec);
}

function flagWithMeta(key: string, spec: OptionSpec): string {
  return spec.kind === 'boolean' ? `--${flagName(key, spec)}` : `--${flagName(key, spec)} ${spec.meta ?? 'VALUE'}`;
}

export function defineCommand<const S extends OptionSpecs>(definition: CommandDefinition<S>): CommandOptions<S> {
  const { name, options } = definition;
  const connection = definition.connection ?? true;
  for (const key of Object.keys(options)) {
    if (connection && key in CONNECTION_OPTIONS) throw new Error(`${name}: option '${key}' is a connection option already`);
  }
  const all: OptionSpecs = connection ? { ...options, ...CONNECTION_OPTIONS } : options;
  const invocation = definition.invocation ?? `npm run ${name}`;
  const helpCommand = `${invocation} -- --help`;

  const flags: NonNullable<ParseArgsConfig['options']> = {};
  for (const [key, spec] of Object.entries(all)) {
    const flag = flagName(key, spec);
    if (flag in flags || flag === 'help' || (spec.kind === 'boolean' && `no-${flag}` in flags)) {
      throw new Error(`${name}: option '${key}' declares the flag --${flag} twice (or shadows --help)`);
    }
    flags[flag] = { type: spec.kind === 'boolean' ? 'boolean' : 'string' };
    if (spec.kind === 'boolean') flags[`no-${flag}`] = { type: 'boolean' };
  }

  const synopsis =
    definition.synopsis ??
    [...Object.entries(options).filter(([, spec]) => isRequired(spec)).map(([key, spec]) => flagWithMeta(key, spec)), Object.keys(all).length > 0 ? '[options]' : '']
      .filter(Boolean)
      .join(' ');

  const help = (): string => {
    const shown = (specs: OptionSpecs): OptionSpecs =>
      Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, isRequired(spec) ? { ...spec, defaultDoc: 'required' } : spec]));
    const lines = [`usage: ${invocation}${synopsis ? ` -- ${synopsis}` : ''}`];
    if (Object.keys(options).length > 0) lines.push('', 'options:', ...helpLines(shown(options)));
    if (connection) lines.push('', 'connection:', ...helpLines(CONNECTION_OPTIONS));
    if (Object.keys(all).length === 0) lines.push('  (no options)');
    return lines.join('\n');
  };

  const fail = (message: string): never => {
    throw new KgnegError(`${name}: ${message}`, { exitCode: 2 });
  };

  const parse = (argv: readonly string[]): ParsedCommand<S> => {
    if (asksHelp(argv)) throw new HelpRequested(help());
    let raw: Record<string, unknown>;
    try {
      raw = parseArgs({ args: [...argv], options: flags, allowPositionals: false, strict: true }).values as Record<string, unknown>;
    } catch (error) {
      throw new KgnegError(flagErrorText(name, error, flags, helpCommand), { exitCode: 2 });
    }
    const values: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const [key, spec] of Object.entries(all)) {
      const flag = flagName(key, spec);
      let given: string | boolean | undefined;
      if (spec.kind === 'boolean') {
        if (raw[flag] === true && raw[`no-${flag}`] === true) fail(`--${flag} and --no-${flag} contradict each other`);
        given = raw[`no-${flag}`] === true ? false : raw[flag] === true ? true : undefined;
      } else {
        given = typeof raw[flag] === 'string' ? (raw[flag] as string) : undefined;
      }
      if (given === undefined) {
        if (isRequired(spec)) missing.push(flagWithMeta(key, spec));
        values[key] = spec.default;
        continue;
      }
      try {
        values[key] = fromFlag(key, spec, given);
      } catch (error) {
        if (error instanceof OptionError) fail(error.message);
        throw error;
      }
    }
    if (missing.length > 0) fail(`missing ${missing.join(', ')} (${helpCommand} lists every option)`);
    const own = Object.freeze(Object.fromEntries(Object.keys(options).map((key) => [key, values[key]]))) as CommandValues<S>;
    return { values: own, neo4j: neo4jConfigFrom(connection ? raw : {}) };
  };

  return { name, options, all, flags, help, parse };
}
