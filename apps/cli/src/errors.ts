/**
 * The closed set of ways the CLI fails, each with its exit code: scripts switch on the code,
 * people read the message.
 */
export const exitCodes = {
  /** The API answered with an error (validation, not found, forbidden, ...). */
  api: 1,
  /** The command line, a flag value or a local file given to the command is wrong. */
  usage: 2,
  /** The server could not be reached at all. */
  unreachable: 3,
  /** A followed run stopped moving: it waits for a person (confirm, discard or review). */
  waiting: 4,
} as const;

export type CliErrorCode = keyof typeof exitCodes;

/** The one error type of the CLI; `lines` are printed after the message (e.g. field issues). */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly lines: string[] = [],
  ) {
    super(message);
    this.name = "CliError";
  }

  get exitCode(): number {
    return exitCodes[this.code];
  }
}

/** Shorthand for a usage error: something the person typed must change. */
export function usageError(message: string): CliError {
  return new CliError("usage", message);
}
