import { RObject, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Rule } from "../ast/types.js";
import { conflict } from "./errors.js";

/**
 * Object values a ref-head rule produced as a whole (`p[k].r := {...}`): another rule must not
 * add keys inside them (OPA reports a conflict), unlike objects built from rule paths.
 */
const ruleValues = new WeakSet<RObject>();

/** Marks an object as one rule's value (see `mergeDocs`). */
export function markRuleValue(v: Value): Value {
  if (v instanceof RObject) ruleValues.add(v);
  return v;
}

/** Merges two documents defined at the same path (rules and sub-packages); sets union. */
export function mergeDocs(a: Value, b: Value, loc: Rule["loc"] | undefined): Value {
  if (a instanceof RObject && b instanceof RObject) {
    if ((ruleValues.has(a) || ruleValues.has(b)) && !equals(a, b)) throw conflict("object keys must be unique", loc);
    let out = a;
    for (const [k, v] of b.entries()) {
      const prev = out.get(k);
      out = out.with(k, prev === undefined ? v : mergeDocs(prev, v, loc));
    }
    return out;
  }
  if (a instanceof RSet && b instanceof RSet) return a.union(b);
  if (equals(a, b)) return a;
  throw conflict("object keys must be unique", loc);
}
