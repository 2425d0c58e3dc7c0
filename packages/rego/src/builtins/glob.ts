import { RArray } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, operandError, str, typeFail } from "./args.js";
import type { BuiltinDef } from "./registry.js";

const compiled = new Map<string, RegExp>();

function escapeClass(c: string): string {
  return c.replace(/[\\\]^-]/g, "\\$&");
}

function escapeLit(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/**
 * Translates a glob in gobwas/glob syntax (what OPA uses) into an anchored regular expression:
 * `*` is any run of non-delimiter characters, `**` any run at all, `?` one non-delimiter
 * character, `[abc]`, `[!a-z]`, `{a,b}` alternatives and `\` escapes.
 */
export function globToRegExp(pattern: string, delimiters: readonly string[]): RegExp {
  const key = `${delimiters.join("")}\u0000${pattern}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const notDelim = delimiters.length ? `[^${delimiters.map(escapeClass).join("")}]` : "[\\s\\S]";
  const cps = [...pattern];
  let i = 0;
  let depth = 0;
  let out = "";
  while (i < cps.length) {
    const c = cps[i]!;
    if (c === "\\") {
      if (i + 1 >= cps.length) throw fail("unexpected end of input");
      out += escapeLit(cps[i + 1]!);
      i += 2;
    } else if (c === "*") {
      if (cps[i + 1] === "*") {
        out += "[\\s\\S]*";
        i += 2;
      } else {
        out += `${notDelim}*`;
        i++;
      }
    } else if (c === "?") {
      out += notDelim;
      i++;
    } else if (c === "[") {
      const close = cps.indexOf("]", i + 1);
      if (close < 0) throw fail("unexpected end of input");
      let body = cps.slice(i + 1, close);
      const neg = body[0] === "!";
      if (neg) body = body.slice(1);
      let cls = "";
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === "-" && j + 2 < body.length) {
          cls += `${escapeClass(body[j]!)}-${escapeClass(body[j + 2]!)}`;
          j += 2;
        } else cls += escapeClass(body[j]!);
      }
      out += neg ? `[^${cls}]` : `[${cls}]`;
      i = close + 1;
    } else if (c === "{") {
      depth++;
      out += "(?:";
      i++;
    } else if (c === "}" && depth > 0) {
      depth--;
      out += ")";
      i++;
    } else if (c === "," && depth > 0) {
      out += "|";
      i++;
    } else {
      out += escapeLit(c);
      i++;
    }
  }
  if (depth > 0) throw fail("unexpected end of input");
  const re = new RegExp(`^(?:${out})$`, "u");
  if (compiled.size > 1000) compiled.clear();
  compiled.set(key, re);
  return re;
}

function delimitersOf(v: Value): string[] {
  if (v === null) return [];
  if (!(v instanceof RArray)) throw operandError(2, "array", v);
  const ds = v.items.map((d) => {
    if (typeof d !== "string") throw typeFail("operand 2 must be array of strings");
    return d;
  });
  return ds.length === 0 ? ["."] : ds;
}

/** glob.match and glob.quote_meta. */
export const globBuiltins: BuiltinDef[] = [
  { name: "glob.match", arity: 3, fn: (a) => globToRegExp(str(a, 0), delimitersOf(a[1] as Value)).test(str(a, 2)) },
  { name: "glob.quote_meta", arity: 1, fn: (a) => str(a, 0).replace(/[*?\\[\]{}]/g, "\\$&") },
];
