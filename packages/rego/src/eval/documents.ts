import { RObject, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Rule } from "../ast/types.js";
import { conflict } from "./errors.js";

/**
 * Marks an object as one rule's value (see `mergeDocs`): object values a ref-head rule produced
 * as a whole (`p[k].r := {...}`) must not get keys from another rule inside them (OPA reports a
 * conflict), unlike objects built from rule paths.
 */
export function markRuleValue(v: Value): Value {
  if (v instanceof RObject) v.ruleValue = true;
  return v;
}

/** Merges two documents defined at the same path (rules and sub-packages); sets union. */
export function mergeDocs(a: Value, b: Value, loc: Rule["loc"] | undefined): Value {
  if (a instanceof RObject && b instanceof RObject) {
    if ((a.ruleValue || b.ruleValue) && !equals(a, b)) throw conflict("object keys must be unique", loc);
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
