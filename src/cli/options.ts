/**
 * Flags shared by every command that talks to Neo4j, declared once as
 * OptionSpecs (CONNECTION_OPTIONS): the parseArgs flags, the usage lines and
 * their validation come from them. Flags override the environment, which
 * overrides the defaults (see src/graph/config.ts).
 *
 * Commands declare their own options with defineCommand
 * (src/cli/command-options.ts); parseFlags and intFlag remain for the commands
 * that still hand-write a parseArgs config (train, bench).
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest, flagName, helpLines, option, suggestion, type OptionSpec } from '../base/options.js';
import { type Neo4jConfig, resolveNeo4jConfig } from '../graph/config.js';
import { KgnegError } from '../graph/errors.js';

/**
 * An option a command runs without: absent, its value is undefined and
 * `whenAbsent` (shown in --help) says what happens then. An option with
 * neither a default nor this is required.
 */
export type Optional<T> = OptionSpec<T> & { readonly optional: true; readonly defaultDoc: string };

export function optional<T>(spec: OptionSpec<T>, whenAbsent: string): Optional<T> {
  return { ...spec, optional: true, defaultDoc: whenAbsent };
}

export function isOptional(spec: OptionSpec): boolean {
  return (spec as { optional?: unknown }).optional === true;
}

const BUILT_IN = resolveNeo4jConfig({}, {});

// Prefixed: `--user` is a recommendation target, not a database login.
export const CONNECTION_OPTIONS = {
  neo4jUri: optional(option.string('Bolt URI of the Neo4j server', undefined, { meta: 'URI' }), `NEO4J_URI, else ${BUILT_IN.uri}`),
  neo4jUser: optional(option.string('database login', undefined, { meta: 'NAME' }), `NEO4J_USER, else ${BUILT_IN.user}`),
  neo4jPassword: optional(option.string('its password', undefined, { meta: 'PW' }), 'NEO4J_PASSWORD, else the one in .env.example'),
  neo4jDatabase: optional(option.string('database name', undefined, { meta: 'DB' }), `NEO4J_DATABASE, else ${BUILT_IN.database}`),
  dataDir: optional(option.string('where db:start keeps the local server', undefined, { meta: 'DIR' }), `NEO4J_DATA_DIR, else ${path.relative(process.cwd(), BUILT_IN.dataDir) || '.'}`),
} as const;

/** camelCase to the kebab-case of flagName, at the type level (neo4jUri: neo4j-uri). */
type Kebab<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `-${Lowercase<H>}`}${Kebab<T>}` : S;

/** parseArgs configuration of the connection flags (--neo4j-uri, ...), derived from CONNECTION_OPTIONS. */
export const CONNECTION_FLAGS = Object.fromEntries(
  Object.entries(CONNECTION_OPTIONS).map(([key, spec]) => [flagName(key, spec), { type: 'string' }]),
) as { readonly [K in keyof typeof CONNECTION_OPTIONS as Kebab<K>]: { readonly type: 'string' } };

export const CONNECTION_USAGE = helpLines(CONNECTION_OPTIONS).join('\n');

export function neo4jConfigFrom(values: Record<string, unknown>): Neo4jConfig {
  const text = (key: keyof typeof CONNECTION_OPTIONS): string | undefined => {
    const value = values[flagName(key, CONNECTION_OPTIONS[key])];
    return typeof value === 'string' ? value : undefined;
  };
  return resolveNeo4jConfig(process.env, {
    uri: text('neo4jUri'),
    user: text('neo4jUser'),
    password: text('neo4jPassword'),
    database: text('neo4jDatabase'),
    dataDir: text('dataDir'),
  });
}

/** `--help` asked: the usage goes to stdout and the command exits 0 (see src/cli/index.ts). */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help');
  }
}

/** Whether `--help` or `-h` is among the arguments (before a `--` terminator). */
export function asksHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * A parseArgs error as one line: an unknown flag with the closest valid one
 * (or the valid ones), a flag without its value, a value given to a switch.
 */
export function flagErrorText(command: string, error: unknown, options: NonNullable<ParseArgsConfig['options']>, helpCommand = `npm run ${command} -- --help`): string {
  const code = (error as { code?: unknown }).code;
  const message = (error as Error).message ?? String(error);
  const named = /'(-[^' ]+)/.exec(message)?.[1];
  const flags = Object.keys(options).map((name) => `--${name}`);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) {
    const primary = flags.filter((flag) => !(flag.startsWith('--no-') && flags.includes(`--${flag.slice(5)}`)));
    const near = closest(named, flags);
    return `${command}: Unknown option '${named}'; ${near ? `did you mean '${near}'?` : suggestion(named, primary)}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named) {
    if (/does not take an argument/.test(message)) return `${command}: ${named} is a switch and takes no value (--${named.replace(/^-+/, '')} / --no-${named.replace(/^-+/, '')})`;
    if (/ambiguous/.test(message)) return `${command}: ${named} needs a value; one that starts with a dash is written ${named}=-VALUE`;
    return `${command}: ${named} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /argument '([^']*)'/.exec(message)?.[1] ?? '';
    return `${command}: unexpected argument '${argument}': every value follows its flag (${helpCommand} lists them)`;
  }
  return `${command}: ${message.split('\n').join(' ')}`;
}

/** parseArgs with errors turned into one-line messages (the usage as hint); `--help` prints the usage. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  usage: string,
) {
  if (asksHelp(argv) && !('help' in options)) {
    throw new HelpRequested(`usage: npm run ${command} -- [flags]\n${usage}`);
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new KgnegError(flagErrorText(command, error, options), { hint: `usage: npm run ${command} -- [flags]\n${usage}`, exitCode: 2 });
  }
}

export function intFlag(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new KgnegError(`--${name} expects an integer, got '${String(value)}'`, { exitCode: 2 });
  return parsed;
}
