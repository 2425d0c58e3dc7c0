import type { RArray, RObject, RSet } from "./collections.js";
import type { RNumber } from "./number.js";

/**
 * A Rego value. Scalars are plain JS values (`null`, booleans, strings) except numbers, which
 * are {@link RNumber}s so they keep arbitrary precision; composites are immutable classes.
 */
export type Value = null | boolean | string | RNumber | RArray | RObject | RSet;

/** The Rego type names, as `type_name` returns them. */
export type TypeName = "null" | "boolean" | "number" | "string" | "array" | "object" | "set";
