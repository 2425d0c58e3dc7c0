import { RArray, RNumber, RObject, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import { arr, obj, operandError, typeFail } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/** Keys named by operand 2 of object.remove/object.filter: an array, a set, or an object's keys. */
function keyList(v: Value): readonly Value[] {
  if (v instanceof RArray) return v.items;
  if (v instanceof RSet) return v.values();
  if (v instanceof RObject) return v.keys();
  throw operandError(2, "one of {object, set, array}", v);
}

function remove(args: Value[]): Value {
  const o = obj(args, 0);
  const drop = RSet.from(keyList(args[1] as Value));
  const out: [Value, Value][] = [];
  o.forEach((k, v) => {
    if (!drop.has(k)) out.push([k, v]);
  });
  return RObject.from(out);
}

function filter(args: Value[]): Value {
  const o = obj(args, 0);
  const out: [Value, Value][] = [];
  for (const k of keyList(args[1] as Value)) {
    const v = o.get(k);
    if (v !== undefined) out.push([k, v]);
  }
  return RObject.from(out);
}

/** Deep merge: where both sides hold objects they merge, otherwise the right side wins. */
export function mergeObjects(a: RObject, b: RObject): RObject {
  const out: [Value, Value][] = [];
  a.forEach((k, v) => {
    const w = b.get(k);
    if (w === undefined) out.push([k, v]);
    else if (v instanceof RObject && w instanceof RObject) out.push([k, mergeObjects(v, w)]);
    else out.push([k, w]);
  });
  b.forEach((k, w) => {
    if (!a.has(k)) out.push([k, w]);
  });
  return RObject.from(out);
}

function unionN(args: Value[]): Value {
  let acc = RObject.empty;
  for (const o of arr(args, 0).items) {
    if (!(o instanceof RObject)) throw typeFail(`operand 1 must be array of objects but got array containing ${o === null ? "null" : typeof o === "object" ? "a non-object" : typeof o}`);
    acc = mergeObjects(acc, o);
  }
  return acc;
}

function get(args: Value[]): Value {
  const o = obj(args, 0);
  const key = args[1] as Value;
  const dflt = args[2] as Value;
  if (!(key instanceof RArray)) return o.get(key) ?? dflt;
  let cur: Value = o;
  for (const seg of key.items) {
    let next: Value | undefined;
    if (cur instanceof RObject) next = cur.get(seg);
    else if (cur instanceof RArray && seg instanceof RNumber) {
      const i = seg.toSafeInt();
      next = i === undefined ? undefined : cur.get(i);
    } else if (cur instanceof RSet) next = cur.has(seg) ? seg : undefined;
    if (next === undefined) return dflt;
    cur = next;
  }
  return cur;
}

/** object.subset: objects recursively, sets by membership, arrays as contiguous runs. */
function isSubset(sup: Value, sub: Value): boolean {
  if (sup instanceof RObject && sub instanceof RObject) {
    let ok = true;
    sub.forEach((k, v) => {
      if (!ok) return;
      const w = sup.get(k);
      if (w === undefined || !isSubset(w, v)) ok = false;
    });
    return ok;
  }
  if (sup instanceof RSet && sub instanceof RSet) return sub.values().every((v) => sup.has(v));
  if (sup instanceof RArray && sub instanceof RSet) return sub.values().every((v) => sup.items.some((x) => equals(x, v)));
  if (sup instanceof RArray && sub instanceof RArray) {
    if (sub.length === 0) return true;
    for (let i = 0; i + sub.length <= sup.length; i++) {
      let all = true;
      for (let j = 0; j < sub.length && all; j++) all = equals(sup.items[i + j]!, sub.items[j]!);
      if (all) return true;
    }
    return false;
  }
  return equals(sup, sub);
}

function subset(args: Value[]): Value {
  const [sup, sub] = args as [Value, Value];
  const ok = (v: Value): boolean => v instanceof RObject || v instanceof RSet || v instanceof RArray;
  if (!ok(sup)) throw operandError(1, "one of {object, set, array}", sup);
  if (!ok(sub)) throw operandError(2, "one of {object, set, array}", sub);
  if (sup instanceof RObject !== sub instanceof RObject) {
    if (sup instanceof RObject || sub instanceof RObject) return false;
  }
  if (sup instanceof RSet && sub instanceof RArray) return false;
  return isSubset(sup, sub);
}

/** object.* builtins. */
export const objectBuiltins: BuiltinDef[] = [
  { name: "object.get", arity: 3, fn: get },
  { name: "object.keys", arity: 1, fn: (a) => RSet.from(obj(a, 0).keys()) },
  { name: "object.remove", arity: 2, fn: remove },
  { name: "object.filter", arity: 2, fn: filter },
  { name: "object.union", arity: 2, fn: (a) => mergeObjects(obj(a, 0), obj(a, 1)) },
  { name: "object.union_n", arity: 1, fn: unionN },
  { name: "object.subset", arity: 2, fn: subset },
];
