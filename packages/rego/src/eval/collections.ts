import { RArray, RNumber, RObject, RSet } from "../value/index.js";
import type { Value } from "../value/index.js";

/** Looks `key` up in a collection (object key, array index, set member); undefined if absent. */
export function lookup(v: Value | undefined, key: Value): Value | undefined {
  if (v instanceof RObject) return v.get(key);
  if (v instanceof RArray) {
    if (!(key instanceof RNumber) || !key.isInteger()) return undefined;
    const i = key.toNumber();
    return i >= 0 && i < v.length ? v.items[i] : undefined;
  }
  if (v instanceof RSet) return v.has(key) ? key : undefined;
  return undefined;
}

/** Like `lookup`, but a number key also finds the same key written as a string (base data). */
export function lookupData(v: Value | undefined, key: Value): Value | undefined {
  const x = lookup(v, key);
  if (x !== undefined || !(key instanceof RNumber) || !(v instanceof RObject)) return x;
  return v.get(key.toString());
}

/** Visits (key, value) pairs of a collection; stops when `fn` returns true. */
export function forEachEntry(v: Value, fn: (k: Value, x: Value) => boolean): boolean {
  if (v instanceof RArray) {
    for (let i = 0; i < v.items.length; i++) if (fn(RNumber.fromInt(i), v.items[i]!)) return true;
  } else if (v instanceof RObject) {
    for (const [k, x] of v.entries()) if (fn(k, x)) return true;
  } else if (v instanceof RSet) {
    for (const x of v.values()) if (fn(x, x)) return true;
  }
  return false;
}

/** Visits the values of a collection (members of a set); stops when `fn` returns true. */
export function forEachValue(v: Value, fn: (x: Value) => boolean): boolean {
  if (v instanceof RArray) {
    for (const x of v.items) if (fn(x)) return true;
  } else if (v instanceof RObject) {
    for (const [, x] of v.entries()) if (fn(x)) return true;
  } else if (v instanceof RSet) {
    for (const x of v.values()) if (fn(x)) return true;
  }
  return false;
}

/** Returns `root` with the value at `path` replaced, creating objects along the way. */
export function setPath(root: Value | undefined, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [Value, ...Value[]];
  const obj = root instanceof RObject ? root : RObject.empty;
  return obj.with(head, setPath(obj.get(head), rest, value));
}
