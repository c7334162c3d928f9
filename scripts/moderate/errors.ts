// The moderation CLI's failures and the exit code each one ends with. Scripts rely on these codes, so they are
// documented in docs/moderation.md, "Exit codes"; change both together.

export const EXIT_OK = 0;
/** The command ran, but some ids or items failed (unknown id, a comment the worker refused). */
export const EXIT_FAILED = 1;
/** The command line was wrong: unknown command or option, missing argument, unreadable import file. */
export const EXIT_USAGE = 2;
/** No token, a wrong token (401), or the admin API is off (503). */
export const EXIT_AUTH = 3;
/** The comment service did not answer at all. */
export const EXIT_UNREACHABLE = 4;

/** An error the CLI prints as one line and exits with. */
export class CliError extends Error {
  exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A wrong command line; the CLI adds a pointer to `--help`. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}

/** An error about one id or item; commands on several ids report it and carry on. */
export class ItemError extends CliError {
  constructor(message: string) {
    super(message, EXIT_FAILED);
  }
}
