/**
 * Labels, relationship types and property names of a user's own graph, as
 * they go into Cypher. They cannot be parameters, so each is checked against
 * what the live database holds (db.labels(), db.relationshipTypes(),
 * db.propertyKeys()) and then written backtick-quoted with backticks doubled:
 * a name holding a quote, a brace or a keyword stays one identifier and is
 * never executed. Only this module makes a QuotedName.
 */
import type { QueryRunner } from '../query-runner.js';
import { suggestion } from '../../base/options.js';
import { MappingError } from './schema.js';

export class QuotedName {
  readonly #text: string;

  private constructor(
    readonly name: string,
    text: string,
  ) {
    this.#text = text;
  }

  /** The Cypher text: `name`, or `A`|`B` for a list of relationship types. */
  toCypher(): string {
    return this.#text;
  }

  /** Several relationship types as one pattern: `A`|`B`, each quoted on its own. */
  static list(names: readonly QuotedName[]): QuotedName {
    return new QuotedName(names.map((n) => n.name).join('|'), names.map((n) => n.toCypher()).join('|'));
  }

  /** For names LiveNames checked (and kgneg's own generated property names). */
  static checked(name: string): QuotedName {
    return new QuotedName(name, `\`${name.replace(/`/g, '``')}\``);
  }
}

export type NameKind = 'label' | 'relationship type' | 'property';

/** What the database holds now; a name not among them is refused with the closest one. */
export class LiveNames {
  private constructor(
    readonly labels: ReadonlySet<string>,
    readonly types: ReadonlySet<string>,
    readonly properties: ReadonlySet<string>,
  ) {}

  static async read(runner: QueryRunner): Promise<LiveNames> {
    const list = async (procedure: string, column: string) =>
      new Set((await runner.autoCommitText<Record<string, string>>(`CALL ${procedure}() YIELD ${column} RETURN ${column}`)).map((row) => row[column]!));
    return new LiveNames(await list('db.labels', 'label'), await list('db.relationshipTypes', 'relationshipType'), await list('db.propertyKeys', 'propertyKey'));
  }

  /** `where`: the mapping file and JSON path that named it. */
  quote(name: string, kind: NameKind, where: string): QuotedName {
    if (/[\u0000-\u001f]/.test(name)) throw new MappingError(`${where}: the ${kind} ${JSON.stringify(name)} holds a control character`);
    const known = kind === 'label' ? this.labels : kind === 'relationship type' ? this.types : this.properties;
    if (!known.has(name)) {
      const sorted = [...known].sort();
      throw new MappingError(`${where}: no ${kind} ${JSON.stringify(name)} in the database`, sorted.length ? suggestion(name, sorted).replace('valid:', `${kind}s there:`) : `the database has no ${kind}s yet`);
    }
    return QuotedName.checked(name);
  }
}
