import { RArray, RObject, RSet } from "../value/index.js";
import type { Value } from "../value/index.js";
import { codePointLength } from "./aggregates.js";
import { arrayOrSet, elementError, fail, int$, obj, operandError, smallInt, str, typeFail } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/** Index in code points of the first `needle` in `s` at or after code point `from`, or -1. */
function cpIndexOf(s: string, needle: string, fromUnits = 0): number {
  const at = s.indexOf(needle, fromUnits);
  return at < 0 ? -1 : codePointLength(s.slice(0, at));
}

function concat(args: Value[]): Value {
  const sep = str(args, 0);
  const parts = arrayOrSet(args, 1).map((x) => {
    if (typeof x !== "string") throw elementError(2, args[1] as Value, x, "string");
    return x;
  });
  return parts.join(sep);
}

function substring(args: Value[]): Value {
  const s = str(args, 0);
  const start = smallInt(args, 1);
  const len = smallInt(args, 2);
  if (start < 0) throw fail("negative offset");
  const cps = [...s];
  if (start >= cps.length) return "";
  return (len < 0 ? cps.slice(start) : cps.slice(start, start + len)).join("");
}

function indexofN(args: Value[]): Value {
  const s = str(args, 0);
  const needle = str(args, 1);
  const out: Value[] = [];
  let from = 0;
  for (;;) {
    const at = s.indexOf(needle, from);
    if (at < 0) break;
    out.push(int$(codePointLength(s.slice(0, at))));
    from = at + Math.max(1, needle.length);
    if (from > s.length) break;
  }
  return new RArray(out);
}

/** Go's strings.Trim family: `cutset` is a set of code points. */
function trimWith(s: string, cutset: string, left: boolean, right: boolean): string {
  const cut = new Set(cutset);
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && cut.has(cps[a]!)) a++;
  if (right) while (b > a && cut.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join("");
}

/** Go's unicode.IsSpace set, which is what strings.TrimSpace trims. */
const SPACE_RE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/**
 * Go's strings.ToUpper/ToLower map each code point on its own (simple case mapping), whereas
 * JavaScript applies full mappings ("ß" -> "SS"); keep code points whose mapping is not 1:1.
 */
function simpleCase(s: string, upper: boolean): string {
  const whole = upper ? s.toUpperCase() : s.toLowerCase();
  if (whole.length === s.length && !/[\u0130\u00df\ufb00-\ufb06]/.test(s)) return whole;
  let out = "";
  for (const c of s) {
    const m = upper ? c.toUpperCase() : c.toLowerCase();
    out += [...m].length === 1 ? m : c;
  }
  return out;
}

/** Go's strings.Split: an empty separator splits into code points. */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const cps = [...s];
    if (n > 0 && cps.length > n) return [...cps.slice(0, n - 1), cps.slice(n - 1).join("")];
    return cps;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

/** Go's strings.Replace with n = -1: an empty `old` inserts between code points. */
function replaceAll(s: string, old: string, rep: string): string {
  if (old === "") return rep + [...s].join(rep) + (s === "" ? "" : rep);
  return s.split(old).join(rep);
}

function replaceN(args: Value[]): Value {
  const patterns = obj(args, 0);
  const s = str(args, 1);
  const pairs: [string, string][] = [];
  for (const [k, v] of patterns.entries()) {
    if (typeof k !== "string") throw typeFail("operand 1 non-string key found in pattern object");
    if (typeof v !== "string") throw typeFail("operand 1 non-string value found in pattern object");
    pairs.push([k, v]);
  }
  // Like Go's strings.Replacer: at each position the first pattern (in key order) that matches wins.
  let out = "";
  let i = 0;
  while (i < s.length) {
    const hit = pairs.find(([k]) => k !== "" && s.startsWith(k, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += s[i];
      i++;
    }
  }
  return out;
}

function stringsCount(args: Value[]): Value {
  const s = str(args, 0);
  const sub = str(args, 1);
  if (sub === "") return int$(codePointLength(s) + 1);
  return int$(s.split(sub).length - 1);
}

function stringList(v: Value, pos: number): readonly string[] {
  if (typeof v === "string") return [v];
  if (v instanceof RArray || v instanceof RSet) {
    const items = v instanceof RArray ? v.items : v.values();
    const kind = v instanceof RArray ? "array" : "set";
    return items.map((x) => {
      if (typeof x !== "string") throw typeFail(`operand ${pos} must be ${kind} of strings but got ${kind} containing ${x === null ? "null" : x instanceof RObject ? "object" : typeof x === "object" ? (x instanceof RArray ? "array" : x instanceof RSet ? "set" : "number") : typeof x}`);
      return x;
    });
  }
  throw operandError(pos, "one of {string, set, array}", v);
}

function anyMatch(args: Value[], test: (s: string, p: string) => boolean): boolean {
  const ss = stringList(args[0] as Value, 1);
  const ps = stringList(args[1] as Value, 2);
  return ss.some((s) => ps.some((p) => test(s, p)));
}

function splitN(args: Value[]): Value {
  return new RArray(goSplit(str(args, 0), str(args, 1), smallInt(args, 2)));
}

/** String builtins (sprintf lives in sprintf.ts). */
export const stringBuiltins: BuiltinDef[] = [
  { name: "concat", arity: 2, fn: concat },
  { name: "contains", arity: 2, fn: (a) => str(a, 0).includes(str(a, 1)) },
  { name: "startswith", arity: 2, fn: (a) => str(a, 0).startsWith(str(a, 1)) },
  { name: "endswith", arity: 2, fn: (a) => str(a, 0).endsWith(str(a, 1)) },
  { name: "indexof", arity: 2, fn: (a) => int$(cpIndexOf(str(a, 0), str(a, 1))) },
  { name: "indexof_n", arity: 2, fn: indexofN },
  { name: "lower", arity: 1, fn: (a) => simpleCase(str(a, 0), false) },
  { name: "upper", arity: 1, fn: (a) => simpleCase(str(a, 0), true) },
  { name: "replace", arity: 3, fn: (a) => replaceAll(str(a, 0), str(a, 1), str(a, 2)) },
  { name: "split", arity: 2, fn: (a) => new RArray(goSplit(str(a, 0), str(a, 1))) },
  { name: "strings.split_n", arity: 3, fn: splitN },
  { name: "substring", arity: 3, fn: substring },
  { name: "trim", arity: 2, fn: (a) => trimWith(str(a, 0), str(a, 1), true, true) },
  { name: "trim_left", arity: 2, fn: (a) => trimWith(str(a, 0), str(a, 1), true, false) },
  { name: "trim_right", arity: 2, fn: (a) => trimWith(str(a, 0), str(a, 1), false, true) },
  { name: "trim_prefix", arity: 2, fn: (a) => { const s = str(a, 0); const p = str(a, 1); return s.startsWith(p) ? s.slice(p.length) : s; } },
  { name: "trim_suffix", arity: 2, fn: (a) => { const s = str(a, 0); const p = str(a, 1); return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s; } },
  { name: "trim_space", arity: 1, fn: (a) => str(a, 0).replace(SPACE_RE, "") },
  { name: "strings.replace_n", arity: 2, fn: replaceN },
  { name: "strings.reverse", arity: 1, fn: (a) => [...str(a, 0)].reverse().join("") },
  { name: "strings.count", arity: 2, fn: stringsCount },
  { name: "strings.any_prefix_match", arity: 2, fn: (a) => anyMatch(a, (s, p) => s.startsWith(p)) },
  { name: "strings.any_suffix_match", arity: 2, fn: (a) => anyMatch(a, (s, p) => s.endsWith(p)) },
];
