/** Errors in the API server's own `Status` shape, which kubectl prints verbatim. */
export interface Cause {
  reason: string;
  message: string;
  field?: string;
}

export class ApiStatus extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: Cause[] },
  ) {
    super(message);
  }

  body() {
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

export const notFound = (resource: string, group: string, name: string) => new ApiStatus(404, "NotFound", `${resource}${group ? `.${group}` : ""} "${name}" not found`, { name, group, kind: resource });
export const badRequest = (message: string) => new ApiStatus(400, "BadRequest", message);

/** A 422 like the apiserver's validation: `Kind "name" is invalid: [field: reason, ...]`. */
export function invalid(kind: string, group: string, name: string, causes: Cause[]): ApiStatus {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const text = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return new ApiStatus(422, "Invalid", `${kind}${group ? `.${group}` : ""} "${name}" is invalid: ${text}`, { name, group, kind, causes });
}
