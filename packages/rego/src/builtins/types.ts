import { RArray, RNumber, RObject, RSet, typeName } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { BuiltinDef } from "./registry.js";

function is(name: string, test: (v: Value) => boolean): BuiltinDef {
  return { name, arity: 1, fn: (a) => test(a[0] as Value) };
}

/** type_name and the is_* predicates (false, not undefined, for other types). */
export const typeBuiltins: BuiltinDef[] = [
  { name: "type_name", arity: 1, fn: (a) => typeName(a[0] as Value) },
  is("is_number", (v) => v instanceof RNumber),
  is("is_string", (v) => typeof v === "string"),
  is("is_boolean", (v) => typeof v === "boolean"),
  is("is_array", (v) => v instanceof RArray),
  is("is_set", (v) => v instanceof RSet),
  is("is_object", (v) => v instanceof RObject),
  is("is_null", (v) => v === null),
];
