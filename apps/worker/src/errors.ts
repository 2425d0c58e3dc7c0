/** The worker's one error type. `code` says which step failed; the message says why and what to do. */
export type WorkerErrorCode = "repository" | "project_root" | "binary" | "hook" | "phase" | "timeout" | "stopped" | "server" | "workspace" | "provider" | "credentials" | "runtime_config";

export class WorkerError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "WorkerError";
  }
}
