/** The package's one error type: `repository` (cannot reach or fetch), `revision` (no such commit or ref), `workspace` (cannot write a checkout). */
export type GitErrorCode = "repository" | "revision" | "workspace";

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
