/**
 * Migrations are files `migrations/<version>-<name>.ts` exporting `up(context)`.
 * A migration's checksum covers its file and, when present, the Cypher file of
 * the same name under `cypher/schema/`, since that is what it runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MigrationError } from '../errors.js';
import type { Migration, MigrationContext, MigrationProvider } from './types.js';

const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
export const DEFAULT_SCHEMA_CYPHER_DIR = fileURLToPath(new URL('../../../cypher/schema/', import.meta.url));

const FILE_NAME = /^(\d{4,})-([a-z0-9-]+)\.(ts|js|mjs)$/;

export class FileMigrationProvider implements MigrationProvider {
  readonly #dir: string;
  readonly #cypherDir: string;

  constructor(dir: string = DEFAULT_MIGRATIONS_DIR, cypherDir: string = DEFAULT_SCHEMA_CYPHER_DIR) {
    this.#dir = dir;
    this.#cypherDir = cypherDir;
  }

  async getMigrations(): Promise<Migration[]> {
    if (!existsSync(this.#dir)) throw new MigrationError(`migrations folder ${this.#dir} does not exist`);
    const migrations: Migration[] = [];
    for (const file of readdirSync(this.#dir).sort()) {
      if (file.endsWith('.d.ts')) continue;
      const match = FILE_NAME.exec(file);
      if (!match) continue;
      const [, version = '', name = ''] = match;
      const full = path.join(this.#dir, file);
      const hash = createHash('sha256').update(readFileSync(full));
      const cypherFile = path.join(this.#cypherDir, `${version}-${name}.cypher`);
      if (existsSync(cypherFile)) hash.update(readFileSync(cypherFile));
      const module = (await import(pathToFileURL(full).href)) as { up?: (context: MigrationContext) => Promise<void> };
      const up = module.up;
      if (typeof up !== 'function') {
        throw new MigrationError(`migration ${file} does not export an up(context) function`);
      }
      migrations.push({ version, name, checksum: hash.digest('hex'), up: (context) => up(context) });
    }
    const seen = new Set<string>();
    for (const migration of migrations) {
      if (seen.has(migration.version)) {
        throw new MigrationError(`two migrations share version ${migration.version} in ${this.#dir}`, 'give each file its own number');
      }
      seen.add(migration.version);
    }
    return migrations;
  }
}
