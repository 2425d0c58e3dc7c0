import { RArray, RNumber, RObject, RSet, compare, equals } from "../../value/index.js";
import type { Value } from "../../value/index.js";
import { lookup } from "../collections.js";
import { memberOf } from "../relations.js";
import { memberAt } from "../iteration-index.js";
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
  functionValue,
  /** `concat(sep, xs)` of strings, or undefined (the general builtin then answers). */
  concatStrings(sep: string, x: Value): string | undefined {
    const parts = x instanceof RArray ? x.items : x instanceof RSet ? x.values() : undefined;
    if (!parts) return undefined;
    for (let i = 0; i < parts.length; i++) if (typeof parts[i] !== "string") return undefined;
    return parts.join(sep);
  },
  /**
   * `sprintf` of a plain `%s`/`%v` format (`parts`: text and operand positions) over strings,
   * or undefined when an operand is not a string (the general builtin then formats it).
   */
  sprintfStrings(parts: readonly (string | number)[], vals: readonly Value[]): string | undefined {
    const out = new Array<string>(parts.length);
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j]!;
      if (typeof p === "string") { out[j] = p; continue; }
      const x = vals[p];
      if (typeof x !== "string") return undefined;
      out[j] = x;
    }
    return out.join("");
  },
};

export type Runtime = typeof RUNTIME;
