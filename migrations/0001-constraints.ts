// Uniqueness constraints on every merge key; see cypher/schema/0001-constraints.cypher.
import type { MigrationContext } from '../src/graph/migrations/types.js';
import { runSchemaFile } from '../src/graph/migrations/schema.js';

export async function up({ runner, log }: MigrationContext): Promise<void> {
  await runSchemaFile(runner, '0001-constraints.cypher', log);
}
