/**
 * Starts and stops the local Neo4j (db/LocalNeo4j.java) for one data directory.
 * The directory holds the store, the logs and a pid file; the pid file is what
 * makes a second start find the first server instead of starting a twin.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Neo4jConfig } from '../config.js';
import { openDriver, verifyLogin } from '../connection.js';
import { KgnegError } from '../errors.js';
import { ensureLauncherBuilt } from './build.js';

export interface LocalServerInfo {
  readonly pid: number;
  readonly uri: string;
  readonly dataDir: string;
  readonly logFile: string;
}

export interface StartResult extends LocalServerInfo {
  readonly alreadyRunning: boolean;
  readonly seconds: number;
}

const PID_FILE = 'kgneg-neo4j.pid.json';
/** Printed by db/LocalNeo4j.java once the password is set and the database is up. */
const READY_LINE = 'kgneg local neo4j: ready on';
const LOG_FILE = 'logs/kgneg-launcher.log';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** JVM flags Neo4j's own launcher passes on Java 17+ (see ../shared/NEO4J.md §6). */
const JVM_FLAGS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dlog4j2.disable.jmx=true',
  '-XX:+UseG1GC',
];

export interface StartOptions {
  readonly heap?: string;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

export async function startLocalNeo4j(config: Neo4jConfig, options: StartOptions = {}): Promise<StartResult> {
  const began = Date.now();
  const { host, port } = localAddress(config.uri);
  const dataDir = config.dataDir;
  const running = readPidFile(dataDir);
  if (running && isAlive(running.pid)) {
    await waitForBolt(config, running.pid, logPath(dataDir), options.timeoutMs);
    return { ...running, alreadyRunning: true, seconds: (Date.now() - began) / 1000 };
  }
  if (await portAnswers(host, port)) {
    throw new KgnegError(`port ${port} on ${host} is already taken by another process, not a kgneg Neo4j for ${dataDir}`, {
      hint: 'stop that process, or set NEO4J_URI to another port (and NEO4J_DATA_DIR if it is another kgneg Neo4j)',
    });
  }
  const classpath = ensureLauncherBuilt(options.log);
  mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const logFile = logPath(dataDir);
  const logOffset = existsSync(logFile) ? statSync(logFile).size : 0;
  const out = openSync(logFile, 'a');
  const heap = options.heap ?? process.env['NEO4J_HEAP'] ?? '2g';
  const child = spawn(
    'java',
    [`-Xms${heap}`, `-Xmx${heap}`, ...JVM_FLAGS, '-cp', classpath, 'kgneg.db.LocalNeo4j', dataDir, host, String(port)],
    {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password },
    },
  );
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new KgnegError('could not start java for the local Neo4j');
  const info: LocalServerInfo = { pid: child.pid, uri: config.uri, dataDir, logFile };
  writeFileSync(path.join(dataDir, PID_FILE), JSON.stringify({ ...info, startedAt: new Date().toISOString() }, null, 2));
  await waitForReadyLine(child.pid, logFile, logOffset, options.timeoutMs);
  await waitForBolt(config, child.pid, logFile, options.timeoutMs);
  return { ...info, alreadyRunning: false, seconds: (Date.now() - began) / 1000 };
}

export interface StopResult {
  readonly stopped: boolean;
  readonly pid?: number;
  readonly seconds: number;
}

/** Stops the server of `dataDir` (SIGTERM: Neo4j shuts down cleanly); its data stays. */
export async function stopLocalNeo4j(dataDir: string, timeoutMs = 60_000): Promise<StopResult> {
  const began = Date.now();
  const running = readPidFile(dataDir);
  if (!running) return { stopped: false, seconds: 0 };
  if (isAlive(running.pid)) {
    process.kill(running.pid, 'SIGTERM');
    while (isAlive(running.pid) && Date.now() - began < timeoutMs) await sleep(200);
    if (isAlive(running.pid)) {
      process.kill(running.pid, 'SIGKILL');
      while (isAlive(running.pid)) await sleep(100);
    }
  }
  rmSync(path.join(dataDir, PID_FILE), { force: true });
  return { stopped: true, pid: running.pid, seconds: (Date.now() - began) / 1000 };
}

export function localServerStatus(dataDir: string): (LocalServerInfo & { alive: boolean }) | undefined {
  const running = readPidFile(dataDir);
  return running ? { ...running, alive: isAlive(running.pid) } : undefined;
}

/** A TCP port nobody listens on, for tests that start their own server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function localAddress(uri: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new KgnegError(`NEO4J_URI '${uri}' is not a URI`, { hint: 'write it like bolt://127.0.0.1:7687' });
  }
  const host = url.hostname;
  if (host === '0.0.0.0' || host === '[::]') {
    throw new KgnegError(`db:start listens on loopback only, and NEO4J_URI asks for ${host} (every network interface)`, {
      hint: 'use bolt://127.0.0.1:7687 (or localhost); a server for other machines is one with TLS, e.g. docker compose',
      exitCode: 2,
    });
  }
  if (!LOCAL_HOSTS.has(host)) {
    throw new KgnegError(`db:start runs Neo4j on this machine, but NEO4J_URI points at ${host}`, {
      hint: 'use a local address such as bolt://127.0.0.1:7687, or start that server where it lives',
    });
  }
  return { host: host === 'localhost' ? '127.0.0.1' : host, port: url.port === '' ? 7687 : Number(url.port) };
}

/**
 * Bolt opens before the launcher has put the configured password in place, and
 * logging in too early counts as failed attempts, which Neo4j rate-limits. So
 * wait for the launcher's ready line (written after the password is set) first.
 */
async function waitForReadyLine(pid: number, logFile: string, offset: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(logFile) ? readFileSync(logFile).subarray(offset).toString('utf8') : '';
    if (text.includes(READY_LINE)) return;
    if (!isAlive(pid)) {
      throw new KgnegError(`the local Neo4j exited during start-up; the end of ${logFile}:\n${tail(logFile, 15)}`, {
        hint: 'fix what the log says (a port in use, a store locked by another process, too little memory) and run db:start again',
      });
    }
    if (Date.now() > deadline) {
      throw new KgnegError(`the local Neo4j (pid ${pid}) was not ready within ${timeoutMs / 1000}s`, { hint: `see ${logFile}` });
    }
    await sleep(250);
  }
}

async function waitForBolt(config: Neo4jConfig, pid: number, logFile: string, timeoutMs = 180_000): Promise<void> {
  const driver = openDriver(config);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (!isAlive(pid)) {
        throw new KgnegError(`the local Neo4j exited during start-up; the end of ${logFile}:\n${tail(logFile, 15)}`, {
          hint: 'fix what the log says (a port in use, a store locked by another process, too little memory) and run db:start again',
        });
      }
      try {
        await verifyLogin(driver, config);
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new KgnegError(`the local Neo4j (pid ${pid}) did not answer on ${config.uri} within ${timeoutMs / 1000}s`, {
            hint: `see ${logFile}`,
            cause: error,
          });
        }
        await sleep(500);
      }
    }
  } finally {
    await driver.close();
  }
}

function readPidFile(dataDir: string): LocalServerInfo | undefined {
  const file = path.join(dataDir, PID_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LocalServerInfo;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function logPath(dataDir: string): string {
  return path.join(dataDir, LOG_FILE);
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
