/**
 * Options declared once. A registry entry (sampler, model) or a command lists
 * its options as OptionSpecs: a zod schema (type and range), a default and a
 * one-line doc. From that one declaration come the CLI flags (kebab-case of
 * the key), `--help`, the validation of config files (JSON types, unknown keys
 * with the closest valid name) and the docs tables.
 *
 * zod rather than valibot: its schemas can be read back (`.def`, checks) for
 * help texts, its issues carry a JSON path, and it is the validation library
 * a TypeScript user is most likely to know already.
 */
import { z } from 'zod';

export type OptionValue = number | boolean | string;
export type OptionKind = 'int' | 'number' | 'boolean' | 'enum' | 'string' | 'list';

export interface OptionSpec<T = unknown> {
  readonly kind: OptionKind;
  /** What a value must be, as a user reads it ("an integer >= 1"). */
  readonly expected: string;
  readonly schema: z.ZodType<T>;
  /** Absent: required, or derived from elsewhere (then `defaultDoc` says from where). */
  readonly default?: T;
  readonly defaultDoc?: string;
  readonly doc: string;
  /** The flag when it is not the key in kebab-case (learningRate: lr). */
  readonly flag?: string;
  /** Placeholder in usage lines (N, R, NAME). */
  readonly meta?: string;
  readonly values?: readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;
export type OptionValues<S extends OptionSpecs> = { readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };

interface Range {
  readonly min?: number;
  readonly max?: number;
  /** Strictly above min (learning rates, factors). */
  readonly above?: number;
}

function rangeText(range: Range): string {
  const parts: string[] = [];
  if (range.above !== undefined) parts.push(`> ${range.above}`);
  if (range.min !== undefined) parts.push(`>= ${range.min}`);
  if (range.max !== undefined) parts.push(`<= ${range.max}`);
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function ranged(base: z.ZodNumber, range: Range): z.ZodNumber {
  let schema = base;
  if (range.min !== undefined) schema = schema.min(range.min);
  if (range.max !== undefined) schema = schema.max(range.max);
  if (range.above !== undefined) schema = schema.gt(range.above);
  return schema;
}

type Extra = Pick<OptionSpec, 'flag' | 'meta' | 'defaultDoc'>;

export const option = {
  int(doc: string, defaultValue: number | undefined, range: Range = { min: 0 }, extra: Extra = {}): OptionSpec<number> {
    return { kind: 'int', expected: `an integer${rangeText(range)}`, schema: ranged(z.number().int(), range), doc, meta: 'N', ...withDefault(defaultValue), ...extra };
  },
  number(doc: string, defaultValue: number | undefined, range: Range = {}, extra: Extra = {}): OptionSpec<number> {
    return { kind: 'number', expected: `a number${rangeText(range)}`, schema: ranged(z.number(), range), doc, meta: 'X', ...withDefault(defaultValue), ...extra };
  },
  boolean(doc: string, defaultValue: boolean | undefined, extra: Extra = {}): OptionSpec<boolean> {
    return { kind: 'boolean', expected: 'true or false', schema: z.boolean(), doc, ...withDefault(defaultValue), ...extra };
  },
  enum<const V extends readonly [string, ...string[]]>(doc: string, values: V, defaultValue: V[number] | undefined, extra: Extra = {}): OptionSpec<V[number]> {
    return { kind: 'enum', expected: `one of ${values.join(', ')}`, schema: z.enum(values) as unknown as z.ZodType<V[number]>, doc, values, meta: values.join('|'), ...withDefault(defaultValue), ...extra };
  },
  string(doc: string, defaultValue: string | undefined, extra: Extra = {}): OptionSpec<string> {
    return { kind: 'string', expected: 'a non-empty string', schema: z.string().min(1), doc, meta: 'TEXT', ...withDefault(defaultValue), ...extra };
  },
  /** Comma-separated positive integers on the command line, an array in a config file. */
  intList(doc: string, defaultValue: readonly number[] | undefined, extra: Extra = {}): OptionSpec<readonly number[]> {
    return { kind: 'list', expected: 'a non-empty list of integers >= 1', schema: z.array(z.number().int().min(1)).min(1), doc, meta: 'N,N', ...withDefault(defaultValue), ...extra };
  },
};

function withDefault<T>(value: T | undefined): { default?: T } {
  return value === undefined ? {} : { default: value };
}

export function flagName(key: string, spec: OptionSpec): string {
  return spec.flag ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A mistake in an option: the path names it as the user wrote it (`--pool`, `samplerOptions.pool`). */
export class OptionError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A value from the command line (a string, or true for a bare boolean flag) turned into the option's type. */
export function fromFlag(key: string, spec: OptionSpec, raw: string | boolean): unknown {
  const name = `--${flagName(key, spec)}`;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    switch (spec.kind) {
      case 'int':
      case 'number':
        value = raw.trim() === '' ? Number.NaN : Number(raw);
        break;
      case 'boolean':
        value = ({ true: true, false: false, 1: true, 0: false, yes: true, no: false } as Record<string, boolean>)[raw.toLowerCase()] ?? raw;
        break;
      case 'list':
        value = raw.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part.trim())));
        break;
      default:
        value = raw;
    }
  }
  return check(name, spec, value, typeof raw === 'string' ? `'${raw}'` : String(raw));
}

/** A value from a config file: JSON types are kept, so {"pool": "16"} is refused. */
export function fromConfig(path: string, spec: OptionSpec, value: unknown): unknown {
  return check(path, spec, value, JSON.stringify(value) ?? String(value));
}

function check(path: string, spec: OptionSpec, value: unknown, shown: unknown): unknown {
  const result = spec.schema.safeParse(value);
  if (result.success) return result.data;
  const got = typeof shown === 'string' ? shown : JSON.stringify(shown);
  throw new OptionError(path, `${path} expects ${spec.expected}, got ${got}`);
}

/** Defaults of the specs that have one. */
export function defaultsOf(specs: OptionSpecs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) if (spec.default !== undefined) out[key] = spec.default;
  return out;
}

/** The known name closest to `name` (edit distance), when it is close enough to be a likely typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** "did you mean" text for an unknown name, or the list of valid names. */
export function suggestion(name: string, known: readonly string[]): string {
  const near = closest(name, known);
  return near ? `did you mean '${near}'?` : known.length === 0 ? 'it takes no options' : `valid: ${known.join(', ')}`;
}

/** Values of `given` checked against `specs` and laid over the defaults; unknown keys refused. */
export function resolveOptions<S extends OptionSpecs>(owner: string, specs: S, given: Readonly<Record<string, unknown>>, path = (key: string) => key): OptionValues<S> {
  const out = defaultsOf(specs);
  for (const [key, value] of Object.entries(given)) {
    const spec = specs[key];
    if (!spec) throw new OptionError(path(key), `${owner} has no option '${key}'`, suggestion(key, Object.keys(specs)));
    out[key] = fromConfig(path(key), spec, value);
  }
  return Object.freeze(out) as OptionValues<S>;
}

/** One help line per option: flag, placeholder, default, doc. */
export function helpLines(specs: OptionSpecs, indent = '  '): string[] {
  const rows = Object.entries(specs).map(([key, spec]) => {
    const flag = spec.kind === 'boolean' ? `--${flagName(key, spec)} / --no-${flagName(key, spec)}` : `--${flagName(key, spec)} ${spec.meta ?? ''}`.trimEnd();
    const def = spec.default !== undefined ? `default ${formatDefault(spec.default)}` : (spec.defaultDoc ?? '');
    return { flag, text: def ? `${spec.doc} (${def})` : spec.doc };
  });
  const width = Math.min(34, Math.max(0, ...rows.map((r) => r.flag.length)));
  return rows.map((r) => `${indent}${r.flag.padEnd(width)}  ${r.text}`);
}

function formatDefault(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}
