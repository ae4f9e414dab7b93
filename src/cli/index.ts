#!/usr/bin/env node
/**
 * The entry point of every npm script. It is the only place that catches:
 * a KgnegError prints one line and its hint and exits with its code; anything
 * else is a bug and prints its stack.
 */
import 'dotenv/config';
import { KgnegError } from '../graph/errors.js';
import { COMMANDS } from './commands.js';
import { HelpRequested } from './options.js';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    const known = Object.entries(COMMANDS)
      .map(([key, value]) => `  ${key.padEnd(10)} ${value.summary}`)
      .join('\n');
    if (name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(`usage: npm run <command> -- [flags]   (npm run <command> -- --help for its flags)\n${known}\n`);
      return 0;
    }
    process.stderr.write(`kgneg: ${name === undefined ? 'no command given' : `unknown command '${name}'`}; commands:\n${known}\n`);
    return 2;
  }
  return command.run(rest);
}

const verbose = process.argv.includes('--verbose');
main(process.argv.slice(2).filter((arg) => arg !== '--verbose')).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.text}\n`);
      process.exitCode = 0;
    } else if (error instanceof KgnegError) {
      process.stderr.write(`kgneg: ${error.message}\n`);
      if (error.hint) process.stderr.write(`  → ${error.hint}\n`);
      if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
      exitNow(error.exitCode);
    } else {
      process.stderr.write(`kgneg: internal error (a bug; please report it with this output)\n`);
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      exitNow(70);
    }
  },
);

/**
 * A failed command ends now: work still in flight (a driver retrying a write
 * on a server that is gone, a lock's heartbeat) has nothing left to do for it.
 * Output to pipes and files is written synchronously on Linux and macOS, so
 * nothing printed is lost.
 */
function exitNow(code: number): void {
  process.exitCode = code;
  process.stderr.write('', () => process.exit(code));
}
