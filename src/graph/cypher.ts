/**
 * The Cypher statements of kgneg live as files in `cypher/<area>/<verb-noun>.cypher`,
 * one statement each. They are read once into a frozen map; asking for a name that
 * has no file is a startup error, not a late surprise.
 *
 * Labels and relationship types cannot be query parameters. A statement may hold
 * slots written `{{name}}`; they are filled only with values from the whitelists
 * below, so no user-supplied text ever becomes Cypher.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KgnegError } from './errors.js';
import { QuotedName } from './mapping/names.js';

export const NODE_LABELS = ['User', 'Item', 'Entity', 'Dataset', 'Run', 'Migration', 'MigrationLock'] as const;
export const RELATIONSHIP_TYPES = ['INTERACTED', 'EXPOSED', 'KG', 'RECOMMENDED', 'CURRENT_RUN', 'KGNEG_RECOMMENDED'] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

const WHITELIST: ReadonlySet<string> = new Set<string>([...NODE_LABELS, ...RELATIONSHIP_TYPES]);
/**
 * Names kgneg generates itself (never from user input): the per-slot vector
 * properties and their index names, and index dimensions. Being bare
 * identifiers or integers, they cannot carry Cypher syntax.
 */
const GENERATED = /^(?:(?:embedding|search)[AB]\d{0,4}(?:_[0-9a-f]{8})?|kgneg_[a-z0-9_]{1,60}|\d{1,5})$/;
const SLOT = /\{\{(\w+)\}\}/g;

export const DEFAULT_CYPHER_DIR = fileURLToPath(new URL('../../cypher/', import.meta.url));

/** A slot holds a kgneg name, a generated one, or a name of the user's graph checked against the live database. */
export type CypherSlots = Readonly<Record<string, NodeLabel | RelationshipType | string | QuotedName>>;

export class CypherLibrary {
  readonly #statements: ReadonlyMap<string, string>;

  private constructor(statements: Map<string, string>) {
    this.#statements = statements;
  }

  static load(dir: string = DEFAULT_CYPHER_DIR): CypherLibrary {
    const statements = new Map<string, string>();
    for (const file of listCypherFiles(dir)) {
      const name = path.relative(dir, file).replace(/\\/g, '/').replace(/\.cypher$/, '');
      statements.set(name, readFileSync(file, 'utf8'));
    }
    return new CypherLibrary(statements);
  }

  names(): string[] {
    return [...this.#statements.keys()].sort();
  }

  /** The statement called `name` with its slots filled from the whitelist. */
  get(name: string, slots: CypherSlots = {}): string {
    const text = this.#statements.get(name);
    if (text === undefined) {
      throw new KgnegError(`no Cypher statement named '${name}' in cypher/`, {
        hint: 'every query lives in cypher/<area>/<verb-noun>.cypher; check the name or restore the file',
      });
    }
    return text.replace(SLOT, (_match, slot: string) => {
      const value = slots[slot];
      if (value === undefined) throw new KgnegError(`Cypher statement '${name}' needs a value for slot {{${slot}}}`);
      if (value instanceof QuotedName) return value.toCypher();
      if (!WHITELIST.has(value) && !GENERATED.test(value)) {
        throw new KgnegError(`'${value}' is not a kgneg label, relationship type or generated name`);
      }
      return value;
    });
  }
}

let shared: CypherLibrary | undefined;

/** The project's statements, read on first use. */
export function cypherLibrary(): CypherLibrary {
  shared ??= CypherLibrary.load();
  return shared;
}

function listCypherFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listCypherFiles(full));
    else if (entry.endsWith('.cypher')) out.push(full);
  }
  return out.sort();
}
