/**
 * The mapping file: how a graph already in Neo4j (`"source": "graph"`) or a
 * set of CSV/TSV files (`"source": "csv"`) reads as users, items,
 * interactions, exposures and knowledge-graph triples. It is validated before
 * any work: every mistake is one line naming its JSON path and what was
 * expected; unknown keys are refused with the closest valid name.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { suggestion } from '../../base/options.js';
import { KgnegError } from '../errors.js';

/** The split rules a mapping may ask for (see src/graph/datasets/split.ts). */
export const MAPPING_SPLIT_RULES = ['random-6-2-2', 'user-time-8-1-1'] as const;
export const DEFAULT_MAPPING_SPLIT_SEED = 2026;

const name = z.string().min(1, 'a non-empty name');
const datasetName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit');

const split = z.strictObject({
  rule: z.enum(MAPPING_SPLIT_RULES).default('random-6-2-2'),
  seed: z.number().int().min(0).max(0xffffffff).default(DEFAULT_MAPPING_SPLIT_SEED),
});

const graphInteraction = z.strictObject({
  /** A relationship type from the user label to the item label. */
  type: name,
  /** Property holding the interaction's time (epoch seconds, or a Neo4j temporal). */
  time: name.optional(),
  rating: name.optional(),
  /** Only interactions rated at least this are positives. */
  minRating: z.number().optional(),
});

export const graphMappingSchema = z.strictObject({
  name: datasetName,
  source: z.literal('graph'),
  users: z.strictObject({ label: name, id: name }),
  items: z.strictObject({ label: name, id: name, title: name.optional() }),
  interactions: z.array(graphInteraction).min(1, 'at least one interaction type'),
  exposures: z.array(z.strictObject({ type: name, time: name.optional() })).default([]),
  kg: z.array(z.strictObject({ type: name })).default([]),
  split: split.default({ rule: 'random-6-2-2', seed: DEFAULT_MAPPING_SPLIT_SEED }),
});

const file = z.string().min(1, 'a file path (relative to the mapping file)');

export const csvMappingSchema = z.strictObject({
  name: datasetName,
  source: z.literal('csv'),
  /** Detected from the header line when absent. */
  delimiter: z.enum([',', '\t', ';', '|']).optional(),
  interactions: z.strictObject({ file, user: name, item: name, time: name.optional(), rating: name.optional(), minRating: z.number().optional() }),
  items: z.strictObject({ file, id: name, title: name.optional() }).optional(),
  exposures: z.strictObject({ file, user: name, item: name, time: name.optional() }).optional(),
  kg: z.strictObject({ file, head: name, relation: name, tail: name }).optional(),
  split: split.default({ rule: 'random-6-2-2', seed: DEFAULT_MAPPING_SPLIT_SEED }),
});

export type GraphMapping = z.infer<typeof graphMappingSchema>;
export type CsvMapping = z.infer<typeof csvMappingSchema>;
export type Mapping = GraphMapping | CsvMapping;

/** A mistake in a mapping: one line with the file and the JSON path. */
export class MappingError extends KgnegError {
  constructor(message: string, hint?: string) {
    super(message, { ...(hint ? { hint } : {}), exitCode: 2 });
    this.name = 'MappingError';
  }
}

export function readMappingFile(path: string): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MappingError(`cannot read mapping ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new MappingError(`mapping ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseMapping(json, path);
}

/** Validates a parsed JSON value as a mapping; `where` names it in messages. */
export function parseMapping(json: unknown, where = 'mapping'): Mapping {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new MappingError(`${where}: $ expects a JSON object`);
  const source = (json as Record<string, unknown>)['source'];
  const schema = source === 'graph' ? graphMappingSchema : source === 'csv' ? csvMappingSchema : undefined;
  if (!schema) {
    throw new MappingError(`${where}: $.source expects "graph" (a graph already in Neo4j) or "csv" (files), got ${JSON.stringify(source) ?? 'nothing'}`);
  }
  const result = schema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  // A misspelt key also makes its right spelling missing: name the misspelling.
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  throw new MappingError(`${where}: ${describeIssue(issue, schema)}`);
}

function jsonPath(path: readonly PropertyKey[]): string {
  return `$${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('')}`;
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = keysAt(schema, issue.path);
    return `${jsonPath([...issue.path, key])}: unknown key; ${suggestion(key, known)}`;
  }
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? `${jsonPath(issue.path)}: missing, expected ${issue.expected}` : `${jsonPath(issue.path)}: expected ${issue.expected}, got ${JSON.stringify(issue.input)}`;
  }
  if (issue.code === 'invalid_value') return `${jsonPath(issue.path)}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(issue.input)}`;
  return `${jsonPath(issue.path)}: ${issue.message}${issue.input === undefined ? '' : `, got ${JSON.stringify(issue.input)}`}`;
}

/** The keys a strict object at `path` accepts, for "did you mean". */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const key of path) {
    node = unwrap(node);
    if (typeof key === 'number') node = (node as { element?: unknown }).element;
    else node = (node as { shape?: Record<string, unknown> }).shape?.[String(key)];
  }
  node = unwrap(node);
  return Object.keys((node as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
}

function unwrap(node: unknown): unknown {
  let current = node as { def?: { innerType?: unknown; type?: string } } | undefined;
  while (current?.def?.innerType !== undefined) current = current.def.innerType as typeof current;
  return current;
}
