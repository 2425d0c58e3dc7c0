import { RArray, RObject, RSet } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Term } from "../ast/types.js";

const NOT_CONST = Symbol("not constant");
const constCache = new WeakMap<Term, Value | typeof NOT_CONST>();

/** The value of a literal made only of scalars and literals (computed once per term), else undefined. */
export function constValue(t: Term): Value | undefined {
  if (t.type === "scalar") return t.value;
  if (t.type !== "array" && t.type !== "set" && t.type !== "object") return undefined;
  const cached = constCache.get(t);
  if (cached !== undefined) return cached === NOT_CONST ? undefined : cached;
  let v: Value | undefined;
  if (t.type === "object") {
    const entries: [Value, Value][] = [];
    for (const [kt, vt] of t.entries) {
      const kv = constValue(kt);
      const vv = kv === undefined ? undefined : constValue(vt);
      if (kv === undefined || vv === undefined) { constCache.set(t, NOT_CONST); return undefined; }
      entries.push([kv, vv]);
    }
    v = RObject.from(entries);
  } else {
    const items: Value[] = [];
    for (const x of t.items) {
      const xv = constValue(x);
      if (xv === undefined) { constCache.set(t, NOT_CONST); return undefined; }
      items.push(xv);
    }
    v = t.type === "array" ? new RArray(items) : RSet.from(items);
  }
  constCache.set(t, v);
  return v;
}
