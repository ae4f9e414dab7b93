/**
 * Builds the small Java launcher in db/ and resolves the Neo4j jars with Maven
 * (from Maven Central on first use, then from ~/.m2). The result is reused until
 * db/pom.xml or the launcher source changes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KgnegError } from '../errors.js';

const LAUNCHER_DIR = fileURLToPath(new URL('../../../db/', import.meta.url));
const POM = path.join(LAUNCHER_DIR, 'pom.xml');
const SOURCE = path.join(LAUNCHER_DIR, 'src/main/java/kgneg/db/LocalNeo4j.java');
const CLASSES = path.join(LAUNCHER_DIR, 'target/classes');
const CLASS_FILE = path.join(CLASSES, 'kgneg/db/LocalNeo4j.class');
const CLASSPATH_FILE = path.join(LAUNCHER_DIR, 'target/classpath.txt');
// Maven leaves an unchanged classpath file (and up-to-date classes) untouched,
// so their times say nothing about when the last build ran; this stamp does.
const BUILT_STAMP = path.join(LAUNCHER_DIR, 'target/kgneg-built.stamp');

/** The Neo4j version the launcher runs, read from db/pom.xml (docker-compose.yml pins the same). */
export function pinnedNeo4jVersion(): string {
  const match = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new KgnegError(`${POM} does not declare <neo4j.version>`);
  return match[1];
}

/** The java classpath of the launcher, building it first when needed. */
export function ensureLauncherBuilt(log: (line: string) => void = () => undefined): string {
  if (!isUpToDate()) {
    log('kgneg: building the local Neo4j launcher with Maven (the first time downloads Neo4j jars, about 140 MB)');
    requireTool('java', ['-version'], 'Java 17+');
    requireTool('mvn', ['-v'], 'Maven');
    const result = spawnSync(
      'mvn',
      ['-q', '-B', '-f', POM, 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${CLASSPATH_FILE}`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new KgnegError(`Maven could not build the local Neo4j launcher:\n${output}`, {
        hint: 'check that Maven Central is reachable (or ~/.m2 holds the jars), or run Neo4j with `docker compose up -d`',
      });
    }
    writeFileSync(BUILT_STAMP, new Date().toISOString());
  }
  return `${CLASSES}${path.delimiter}${readFileSync(CLASSPATH_FILE, 'utf8').trim()}`;
}

function isUpToDate(): boolean {
  if (!existsSync(CLASS_FILE) || !existsSync(CLASSPATH_FILE) || !existsSync(BUILT_STAMP)) return false;
  const built = statSync(BUILT_STAMP).mtimeMs;
  return built >= statSync(POM).mtimeMs && built >= statSync(SOURCE).mtimeMs;
}

function requireTool(command: string, args: string[], what: string): void {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new KgnegError(`${what} is needed to run Neo4j without Docker, and \`${command}\` was not found`, {
      hint: 'install Java 17+ and Maven, or start Neo4j with `docker compose up -d`',
    });
  }
}
