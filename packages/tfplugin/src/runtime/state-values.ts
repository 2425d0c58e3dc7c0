import type { Fields } from "../types.js";
import { isUnknown } from "../values.js";
import type { TfObject, TfValue } from "../values.js";

/*
 * Helpers that shape what handlers return into complete schema objects.
 */

/** Keeps only the schema's attributes of a handler's result (extra keys would break encoding). */
export function pick(schema: Fields, value: object): TfObject {
  const out: TfObject = {};
  for (const [k, v] of Object.entries(value)) if (k in schema && v !== undefined) out[k] = v as TfValue;
  return out;
}

/** Fills attributes a handler left out with null, so the object has every schema attribute. */
export function complete(schema: Fields, value: TfObject): TfObject {
  const out: TfObject = {};
  for (const [name, field] of Object.entries(schema)) {
    const v = value[name];
    if (v !== undefined) out[name] = v;
    else out[name] = field.kind === "block" && (field.mode === "list" || field.mode === "set") ? [] : field.kind === "block" && field.mode === "map" ? {} : null;
  }
  return out;
}

/** Fills attributes left null with their schema defaults (provider and data source configs). */
export function withDefaults(schema: Fields, config: TfObject): TfObject {
  const out: TfObject = { ...config };
  for (const [name, field] of Object.entries(schema)) {
    if (field.kind === "attribute" && (out[name] === null || out[name] === undefined) && field.options.default !== undefined) out[name] = field.options.default as TfValue;
  }
  return out;
}

/** Paths of every unknown value inside `value`. */
export function unknownPaths(value: TfValue, path: (string | number)[] = []): (string | number)[][] {
  if (isUnknown(value)) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, [...path, i]));
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, [...path, k]));
  }
  return [];
}

/** A copy of `value` with unknowns replaced by null. */
export function nullUnknowns(value: TfValue): TfValue {
  if (isUnknown(value)) return null;
  if (Array.isArray(value)) return value.map(nullUnknowns);
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    const out: TfObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = nullUnknowns(v);
    return out;
  }
  return value;
}

/** `a.b[0].c` form of a path, for messages. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
