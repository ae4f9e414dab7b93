// Per-dataset lookup indexes; see cypher/schema/0002-indexes.cypher.
import type { MigrationContext } from '../src/graph/migrations/types.js';
import { runSchemaFile } from '../src/graph/migrations/schema.js';

export async function up({ runner, log }: MigrationContext): Promise<void> {
  await runSchemaFile(runner, '0002-indexes.cypher', log);
}
