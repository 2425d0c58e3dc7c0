import { RSet } from "../value/index.js";
import type { Value } from "../value/index.js";
import { set, typeFail } from "./args.js";
import type { BuiltinDef } from "./registry.js";

function setsOf(args: Value[]): RSet[] {
  return set(args, 0).values().map((s) => {
    if (!(s instanceof RSet)) throw typeFail("operand 1 must be set of sets");
    return s;
  });
}

/** union and intersection of a set of sets. */
export const setBuiltins: BuiltinDef[] = [
  { name: "union", arity: 1, fn: (a) => setsOf(a).reduce((acc, s) => acc.union(s), RSet.empty) },
  {
    name: "intersection",
    arity: 1,
    fn: (a) => {
      const sets = setsOf(a);
      if (sets.length === 0) return RSet.empty;
      return sets.slice(1).reduce((acc, s) => acc.intersect(s), sets[0]!);
    },
  },
];
