/**
 * What the command-line tools (kata, verify, new-step) share about bad input: it is said in one
 * line, without a stack trace, and ends the command with exit code 2.
 *
 * @module
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The command line asked for something that does not exist or does not fit. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Whether `error` is the user's doing and its message says it all: a UsageError, or one of Node's
 * own errors with a code (parseArgs' `ERR_PARSE_ARGS_…` for a bad option, `ENOENT` for a missing
 * folder). Anything else is a bug, and its stack is worth showing.
 */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || (error instanceof Error && "code" in error);
}

/** Whether the module at `url` (its `import.meta.url`) is the one Node was asked to run. */
export const isMain = (url: string): boolean =>
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(url);
