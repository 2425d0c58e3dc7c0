import { RE2JS } from "re2js";
import { fail } from "./args.js";

type RE2 = ReturnType<RE2JS["re2"]>;

/** Compiled patterns shared across queries; patterns are pure, so sharing is safe. */
const compiled = new Map<string, RE2>();
const MAX_CACHED = 1000;

/**
 * Compiles a Go RE2 pattern (via re2js, not JavaScript RegExp, whose syntax differs) or throws
 * a builtin error carrying Go's message (`error parsing regexp: missing closing ]: ...`).
 */
export function compileRE2(pattern: string): RE2 {
  let re = compiled.get(pattern);
  if (re) return re;
  try {
    re = RE2JS.compile(pattern).re2();
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}
