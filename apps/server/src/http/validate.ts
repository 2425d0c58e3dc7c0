import type { FieldIssue } from "@gantry/contract";
import type { z } from "zod";
import { AppError } from "../errors.js";

/** Parses one part of a request; every problem becomes a field issue of one answer. */
export function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, part: "params" | "query" | "body"): z.output<T> | undefined {
  if (!schema) return undefined;
  if (part === "body" && value === undefined) value = {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const clean = (path: PropertyKey[]) => path.map((p) => (typeof p === "symbol" ? String(p) : p));
  // An unknown field is reported at its own path, so clients can point at the offending key.
  const issues: FieldIssue[] = result.error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({ path: [...clean(i.path), k], message: "unknown field: remove it (see /api/v1/openapi.json for the accepted fields)" }))
      : [{ path: clean(i.path), message: i.message }],
  );
  const where = (p: FieldIssue["path"]) => (p.length ? p.join(".") : part);
  // A malformed URL parameter (a garbage cursor, a non-numeric limit) is a bad request (400); a
  // body that parses but breaks the schema is unprocessable content (422).
  throw new AppError(part === "body" ? "invalid" : "bad_request", `invalid request ${part}: ${issues.map((i) => `${where(i.path)}: ${i.message}`).join("; ")}`, { part, issues });
}
