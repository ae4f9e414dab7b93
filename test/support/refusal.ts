import { KgnegError } from '../../src/graph/errors.js';

/** The KgnegError `run` throws; fails the test when it throws something else or nothing. */
export function refusal(run: () => unknown): KgnegError {
  try {
    run();
  } catch (error) {
    if (error instanceof KgnegError) return error;
    throw new Error(`not a KgnegError: ${String(error)}`);
  }
  throw new Error('accepted');
}
