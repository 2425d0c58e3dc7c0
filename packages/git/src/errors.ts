/** The package's one error type: `repository` (cannot reach or fetch), `revision` (no such commit or ref). */
export type GitErrorCode = "repository" | "revision";

export class GitError extends Error {
  constructor(
    readonly code: GitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "GitError";
  }
}
