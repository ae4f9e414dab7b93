/**
 * The boundary between JS values and Neo4j's. JS numbers sent as parameters
 * would be stored as floats, so integer ids are wrapped on the way in; driver
 * Integers are range-checked and unwrapped on the way out. No neo4j Integer
 * leaves src/graph.
 */
import neo4j from 'neo4j-driver';
import type { ExternalId } from '../base/ids.js';

/** An integer parameter: wrapped so Neo4j stores an INTEGER, not a FLOAT. */
export function intParam(value: number): ReturnType<typeof neo4j.int> {
  return neo4j.int(value);
}

/** A dataset id parameter: integers wrapped, strings as they are. */
export function idParam(id: ExternalId): ReturnType<typeof neo4j.int> | string {
  return typeof id === 'number' ? neo4j.int(id) : id;
}

/** Converts what the driver returns into plain JS (numbers, strings, arrays, objects). */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) {
    const integer = value as ReturnType<typeof neo4j.int>;
    if (!integer.inSafeRange()) throw new RangeError(`Neo4j integer ${integer.toString()} is outside JS's safe range`);
    return integer.toNumber();
  }
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`Neo4j integer ${value} is outside JS's safe range`);
    }
    return Number(value);
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    const temporal = value as { toString?: () => string };
    if (
      neo4j.isDateTime(value as never) ||
      neo4j.isDate(value as never) ||
      neo4j.isLocalDateTime(value as never) ||
      neo4j.isDuration(value as never)
    ) {
      return temporal.toString?.();
    }
    if (neo4j.isNode(value as never) || neo4j.isRelationship(value as never)) {
      return toPlain((value as { properties: unknown }).properties);
    }
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = toPlain(inner);
    return out;
  }
  return value;
}
