import { RArray, RNumber, RObject, RSet, compare } from "../value/index.js";
import type { Value } from "../value/index.js";
import { arrayOrSet, elementError, int$, operandError } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/** Number of Unicode code points (what OPA's count and friends measure). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function count(args: Value[]): Value {
  const v = args[0] as Value;
  if (typeof v === "string") return int$(codePointLength(v));
  if (v instanceof RArray) return int$(v.length);
  if (v instanceof RObject || v instanceof RSet) return int$(v.size);
  throw operandError(1, "one of {array, object, set, string}", v);
}

function numbers(args: Value[]): RNumber[] {
  const items = arrayOrSet(args, 0);
  return items.map((x) => {
    if (!(x instanceof RNumber)) throw elementError(1, args[0] as Value, x, "number");
    return x;
  });
}

function extreme(args: Value[], sign: number): Value | undefined {
  const items = arrayOrSet(args, 0);
  let best: Value | undefined;
  for (const x of items) if (best === undefined || compare(x, best) * sign > 0) best = x;
  return best;
}

function sort(args: Value[]): Value {
  const v = args[0] as Value;
  // A set's members already come sorted (and cached).
  if (v instanceof RSet) return new RArray(v.values().slice());
  return new RArray([...arrayOrSet(args, 0)].sort(compare));
}

/** count, sum, product, max, min, sort. */
export const aggregateBuiltins: BuiltinDef[] = [
  { name: "count", arity: 1, fn: count },
  { name: "sum", arity: 1, fn: (a) => numbers(a).reduce((s, x) => s.add(x), int$(0)) },
  { name: "product", arity: 1, fn: (a) => numbers(a).reduce((s, x) => s.mul(x), int$(1)) },
  { name: "max", arity: 1, fn: (a) => extreme(a, 1) },
  { name: "min", arity: 1, fn: (a) => extreme(a, -1) },
  { name: "sort", arity: 1, fn: sort },
];
