import { RArray } from "../value/index.js";
import type { Value } from "../value/index.js";
import { arr, smallInt } from "./args.js";
import type { BuiltinDef } from "./registry.js";

function slice(args: Value[]): Value {
  const a = arr(args, 0);
  const start = Math.max(0, smallInt(args, 1));
  const stop = Math.min(a.length, smallInt(args, 2));
  return new RArray(stop <= start ? [] : a.items.slice(start, stop));
}

function flatten(args: Value[]): Value {
  const out: Value[] = [];
  for (const x of arr(args, 0).items) {
    if (x instanceof RArray) out.push(...x.items);
    else out.push(x);
  }
  return new RArray(out);
}

/** array.* builtins. */
export const arrayBuiltins: BuiltinDef[] = [
  { name: "array.concat", arity: 2, fn: (a) => new RArray([...arr(a, 0).items, ...arr(a, 1).items]) },
  { name: "array.slice", arity: 3, fn: slice },
  { name: "array.reverse", arity: 1, fn: (a) => new RArray([...arr(a, 0).items].reverse()) },
  { name: "array.flatten", arity: 1, fn: flatten },
];
