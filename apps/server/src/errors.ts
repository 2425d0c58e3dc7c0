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
/**
 * A 409 for an id that is taken. With `field` (the request field the id came from: `id` when the
 * caller chose it, `name` when it was made from the name), the refusal also carries that field's
 * issue, so a form shows it next to the field to change.
 */
export function alreadyExists(what: string, id: string, field?: FieldIssue["path"]): AppError {
  const message = `${what} ${JSON.stringify(id)} already exists: pick another id or name`;
  if (!field) return new AppError("already_exists", message);
  const issue = field.join(".") === "id"
    ? `${what} ${JSON.stringify(id)} already exists: pick another id`
    : `the id made from it, ${JSON.stringify(id)}, is taken by another ${what}: pick another name or set an id`;
  return new AppError("already_exists", message, { issues: [{ path: field, message: issue }] });
}

/** A 422 for one field, in the same shape schema validation produces. */
export function invalidField(path: FieldIssue["path"], message: string): AppError {
  return new AppError("invalid", `${path.join(".")}: ${message}`, { issues: [{ path, message }] });
}
