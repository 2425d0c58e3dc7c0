import { RArray, RNumber, RObject, RSet, compare, equals } from "../../value/index.js";
import type { Value } from "../../value/index.js";
import { lookup } from "../collections.js";
import { memberOf } from "../relations.js";
import { memberAt } from "../iteration-index.js";
import { partitionOf } from "../key-partition.js";
import { GEN, functionValue } from "../direct.js";

/**
 * What generated rule bodies (see body-codegen.ts) call besides their own constants: the value
 * classes and the few helpers whose code is too long to write out at every use.
 */
export const RUNTIME = {
  RArray,
  RNumber,
  RObject,
  RSet,
  GEN,
  compare,
  equals,
  lookup,
  memberOf,
  memberAt,
  partitionOf,
  /** No members: a partition's answer for a value no member has. */
  NONE: [] as readonly number[],
  functionValue,
  /** `concat(sep, xs)` of strings, or undefined (the general builtin then answers). */
  concatStrings(sep: string, x: Value): string | undefined {
    const parts = x instanceof RArray ? x.items : x instanceof RSet ? x.values() : undefined;
    if (!parts) return undefined;
    for (let i = 0; i < parts.length; i++) if (typeof parts[i] !== "string") return undefined;
    return parts.join(sep);
  },
};

export type Runtime = typeof RUNTIME;
