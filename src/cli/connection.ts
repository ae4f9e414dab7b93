/** Opens a connection for one command and always closes it. */
import type { Neo4jConfig } from '../graph/config.js';
import { connect } from '../graph/connection.js';
import { QueryRunner } from '../graph/query-runner.js';

export async function withRunner<T>(config: Neo4jConfig, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const connection = await connect(config);
  try {
    return await work(new QueryRunner(connection));
  } finally {
    await connection.close();
  }
}
