/**
 * The one place that opens a driver. Failures to reach or log in to Neo4j
 * become a DatabaseUnavailableError with a one-line message and what to run.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import type { Neo4jConfig } from './config.js';
import { DatabaseUnavailableError, KgnegError } from './errors.js';

export interface Connection {
  readonly driver: Driver;
  readonly config: Neo4jConfig;
  close(): Promise<void>;
}

const START_HINT =
  'start a local one with `npm run db:start` (or `docker compose up -d`), or point NEO4J_URI at a running Neo4j 5.26';

const SCHEMES = ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'];

/** The URI as the driver takes it, or a one-line refusal (exit 2) naming what was expected. */
export function checkNeo4jUri(uri: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  const scheme = url?.protocol.replace(/:$/, '');
  if (!url || !scheme || !SCHEMES.includes(scheme) || url.hostname === '') {
    throw new KgnegError(`NEO4J_URI '${uri}' is not a Neo4j URI: expected ${SCHEMES.map((s) => `${s}://`).join(', ')} and a host`, {
      hint: 'e.g. bolt://127.0.0.1:7687 (one server), neo4j://host:7687 (a cluster), neo4j+s://xxxx.databases.neo4j.io (Aura, TLS)',
      exitCode: 2,
    });
  }
  return url;
}

export function openDriver(config: Neo4jConfig): Driver {
  checkNeo4jUri(config.uri);
  return neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password), {
    connectionTimeout: 5_000,
    maxTransactionRetryTime: 30_000,
    // The user agent shows up in Neo4j's query log, which helps when several tools share a server.
    userAgent: 'kgneg',
  });
}

/** Opens a driver and proves the server answers and accepts the credentials. */
export async function connect(config: Neo4jConfig): Promise<Connection> {
  const driver = openDriver(config);
  try {
    await verifyLogin(driver, config);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw describeConnectionFailure(config, error);
  }
  return { driver, config, close: () => driver.close() };
}

/** Throws unless the server answers and accepts the credentials (the driver reports a refusal as `false`). */
export async function verifyLogin(driver: Driver, config: Neo4jConfig): Promise<void> {
  const accepted = await driver.verifyAuthentication({ database: config.database });
  if (!accepted) {
    throw Object.assign(new Error('authentication failure'), { code: 'Neo.ClientError.Security.Unauthorized' });
  }
}

export function describeConnectionFailure(config: Neo4jConfig, error: unknown): DatabaseUnavailableError {
  const code = (error as { code?: string } | null)?.code ?? '';
  const reason = firstLine(error instanceof Error ? error.message : String(error));
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new DatabaseUnavailableError(
      `Neo4j at ${config.uri} refused user '${config.user}': ${reason}`,
      'set NEO4J_USER / NEO4J_PASSWORD (or --neo4j-user / --neo4j-password) to that database\'s credentials',
      error,
    );
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new DatabaseUnavailableError(
      `Neo4j at ${config.uri} has no database '${config.database}'`,
      'Neo4j community has one user database, `neo4j`: set NEO4J_DATABASE=neo4j',
      error,
    );
  }
  return new DatabaseUnavailableError(`cannot reach Neo4j at ${config.uri}: ${reason}`, unreachableHint(config.uri, reason), error);
}

/** What to do about a server that does not answer: start one (local, plain), or look at TLS or the network. */
function unreachableHint(uri: string, reason: string): string {
  const url = new URL(uri);
  const tls = url.protocol.includes('+s');
  if (/SSL|TLS|certificate|EPROTO|wrong version number|self[- ]signed|handshake/i.test(reason)) {
    return tls
      ? `the TLS handshake failed: +s verifies the server's certificate (NODE_EXTRA_CA_CERTS=FILE adds a CA), +ssc accepts a self-signed one, and a server without TLS needs ${url.protocol.replace(/\+s+c?:/, ':')}//`
      : `the server expects TLS: use ${url.protocol.replace(':', '+s:')}// (or +ssc for a self-signed certificate)`;
  }
  if (LOCAL_HOSTS.has(url.hostname) && !tls) return START_HINT;
  return `check that Neo4j runs at ${url.host} and that this machine reaches it${tls ? ' (and that it serves TLS)' : ''}`;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? text;
}
