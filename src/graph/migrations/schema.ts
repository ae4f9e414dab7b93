/**
 * Schema migrations keep their Cypher in `cypher/schema/<version>-<name>.cypher`,
 * several `;`-separated statements per file. Schema commands cannot share a
 * transaction with writes, so each runs on its own; all use IF NOT EXISTS, so a
 * file interrupted half-way simply runs again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { QueryRunner } from '../query-runner.js';
import { DEFAULT_SCHEMA_CYPHER_DIR } from './file-provider.js';

function schemaStatements(fileName: string): string[] {
  const text = readFileSync(path.join(DEFAULT_SCHEMA_CYPHER_DIR, fileName), 'utf8');
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export async function runSchemaFile(runner: QueryRunner, fileName: string, log?: (line: string) => void): Promise<void> {
  for (const statement of schemaStatements(fileName)) {
    log?.(`  ${statement.split('\n')[0]}`);
    await runner.autoCommitText(statement);
  }
  // Constraints are usable only once their indexes are online.
  await runner.autoCommitText('CALL db.awaitIndexes(300)');
}
