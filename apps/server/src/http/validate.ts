import type { FieldIssue } from "@gantry/contract";
import type { z } from "zod";
import { AppError } from "../errors.js";

/** Parses one part of a request; every problem becomes a field issue of one 422 answer. */
export function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, part: "params" | "query" | "body"): z.output<T> | undefined {
  if (!schema) return undefined;
  if (part === "body" && value === undefined) value = {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((i) => {
    let message = i.message;
    if (i.code === "unrecognized_keys") message = `unknown field(s) ${i.keys.map((k) => JSON.stringify(k)).join(", ")}: remove them (see /api/v1/openapi.json for the accepted fields)`;
    const path = i.code === "unrecognized_keys" ? i.path : i.path;
    return { path: path.map((p) => (typeof p === "symbol" ? String(p) : p)), message };
  });
  const where = (p: FieldIssue["path"]) => (p.length ? p.join(".") : part);
  throw new AppError("invalid", `invalid request ${part}: ${issues.map((i) => `${where(i.path)}: ${i.message}`).join("; ")}`, { part, issues });
}
