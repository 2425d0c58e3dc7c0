import { createHash, createHmac } from "node:crypto";
import { RArray, RObject, RSet } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { BuiltinContext, BuiltinDef } from "./registry.js";

/**
 * Spacelift's resource sanitization hash: a string value becomes the first 8 hex digits of its
 * hash. With a key (the server's), an HMAC-SHA256, so short secrets in stored receipts cannot be
 * found by hashing guesses; without one (local `policy eval --sanitized`), a plain SHA-256.
 *
 * @example
 * sanitizeString("hunter2") // "f52fbd32"
 */
export function sanitizeString(s: string, key?: string | Buffer): string {
  const h = key === undefined ? createHash("sha256") : createHmac("sha256", key);
  return h.update(s, "utf8").digest("hex").slice(0, 8);
}

/** A value after sanitization: every string in it hashed, other scalars unchanged. */
export function sanitizeValue(v: Value, hash: (s: string) => string): Value {
  if (typeof v === "string") return hash(v);
  if (v instanceof RArray) return new RArray(v.items.map((x) => sanitizeValue(x, hash)));
  if (v instanceof RSet) return RSet.from(v.values().map((x) => sanitizeValue(x, hash)));
  if (v instanceof RObject) return RObject.from(v.entries().map(([k, x]) => [k, sanitizeValue(x, hash)] as [Value, Value]));
  return v;
}

const keyless = (s: string): string => sanitizeString(s);

/**
 * `sanitized(x)`: what x becomes after Spacelift's sanitization, so a PLAN policy can compare a
 * sanitized plan value with a known one. Only compiled in when asked for (`sanitized: true`).
 */
export const sanitizedBuiltins: BuiltinDef[] = [
  { name: "sanitized", arity: 1, fn: (a, ctx: BuiltinContext) => sanitizeValue(a[0] as Value, ctx.sanitize ?? keyless) },
];
