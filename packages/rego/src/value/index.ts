/**
 * The Rego value model: immutable values with OPA's arbitrary-precision numbers, total order,
 * hashing, JSON and Rego-syntax printing.
 */
export type { Value, TypeName } from "./types.js";
export { RNumber } from "./number.js";
export { RArray, RObject, RSet } from "./collections.js";
export type { KeyCache } from "./collections.js";
export { compare, compareStrings, equals, hashValue, typeName } from "./order.js";
export { fromJSONText, JSONSyntaxError } from "./json-parse.js";
export { fromJS, toJS } from "./js.js";
export { toJSONText, toRegoString, writeJSON, quoteJSON, jsonKey } from "./print.js";
export type { JSONFormat } from "./print.js";
export { HashIndex } from "./hash-index.js";
