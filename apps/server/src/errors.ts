import type { ErrorCode, FieldIssue } from "@gantry/contract";

/**
 * The server's one error type. Services throw it with a code from the contract's closed set;
 * the HTTP layer maps the code to a status through `errorStatus`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string, id: string) => new AppError("not_found", `${what} ${JSON.stringify(id)} does not exist`);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const alreadyExists = (what: string, id: string) => new AppError("already_exists", `${what} ${JSON.stringify(id)} already exists: pick another id or name`);

/** A 422 for one field, in the same shape schema validation produces. */
export function invalidField(path: FieldIssue["path"], message: string): AppError {
  return new AppError("invalid", `${path.join(".")}: ${message}`, { issues: [{ path, message }] });
}
