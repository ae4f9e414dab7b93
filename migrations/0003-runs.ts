// Run records and recommendation lookups; see cypher/schema/0003-runs.cypher.
import type { MigrationContext } from '../src/graph/migrations/types.js';
import { runSchemaFile } from '../src/graph/migrations/schema.js';

export async function up({ runner, log }: MigrationContext): Promise<void> {
  await runSchemaFile(runner, '0003-runs.cypher', log);
}
