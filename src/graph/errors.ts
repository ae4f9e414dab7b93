/**
 * Errors a user can act on. Each carries a one-line message and a hint saying
 * what to do next; the CLI entry point prints both and exits without a stack.
 * Anything else that escapes is a bug and is shown with its stack.
 */
export class KgnegError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KgnegError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Neo4j could not be reached or refused the credentials. */
export class DatabaseUnavailableError extends KgnegError {
  constructor(message: string, hint: string, cause?: unknown) {
    super(message, { hint, exitCode: 3, cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** Input files that do not match their declared format; names file and line. */
export class DatasetFormatError extends KgnegError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, problem: string, hint?: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`, { hint, exitCode: 4 });
    this.name = 'DatasetFormatError';
    this.file = file;
    this.line = line;
  }
}

/** A migration could not be applied, or the applied ones disagree with the files. */
export class MigrationError extends KgnegError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { hint, exitCode: 5, cause });
    this.name = 'MigrationError';
  }
}
