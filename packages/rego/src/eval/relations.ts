import { RArray, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { KV } from "./context.js";
import { forEachEntry } from "./collections.js";

/** Whether `x` is a value (with key `key`, if given) of a collection. */
export function memberOf(x: Value, coll: Value, key: Value | undefined): boolean {
  if (key === undefined) {
    // `x in xs`, the common form: plain loops, no key values made for array indexes.
    if (coll instanceof RArray) {
      const items = coll.items;
      for (let i = 0; i < items.length; i++) if (equals(items[i]!, x)) return true;
      return false;
    }
    if (coll instanceof RSet) return coll.has(x);
  }
  let found = false;
  forEachEntry(coll, (k, v) => {
    if (equals(v, x) && (key === undefined || equals(k, key))) { found = true; return true; }
    return false;
  });
  return found;
}

/** The `walk` relation: every [path, value] pair of a document, pre-order. */
export function walkAll(v: Value, k: KV): boolean {
  const rec = (path: Value[], x: Value): boolean => {
    if (k(new RArray([new RArray(path.slice()), x]))) return true;
    return forEachEntry(x, (key, child) => rec([...path, key], child));
  };
  return rec([], v);
}
