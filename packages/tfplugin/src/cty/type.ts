import { TfPluginError } from "../errors.js";
import type { CtyType } from "../types.js";
import { ExactNumber, isUnknown } from "../values.js";

/**
 * Types of values that sit inside `dynamic` attributes. Arrays and objects decoded from a
 * dynamic value remember their exact type here, so a `list(string)` goes back to Terraform as
 * a list and not as a tuple (Terraform rejects a plan that changes a configured value's type).
 */
const dynamicTypes = new WeakMap<object, CtyType>();

/** Records the cty type of an array/object value for use inside `dynamic` attributes. */
export function withType<V extends object>(value: V, type: CtyType): V {
  dynamicTypes.set(value, type);
  return value;
}

/** Parses a type from Terraform's JSON encoding (already JSON.parse'd), validating its shape. */
export function parseType(raw: unknown): CtyType {
  if (raw === "string" || raw === "number" || raw === "bool" || raw === "dynamic") return raw;
  if (Array.isArray(raw)) {
    const [kind, arg] = raw as [unknown, unknown];
    if ((kind === "list" || kind === "set" || kind === "map") && arg !== undefined) return [kind, parseType(arg)];
    if (kind === "tuple" && Array.isArray(arg)) return ["tuple", arg.map(parseType)];
    if (kind === "object" && arg !== null && typeof arg === "object") {
      const attrs: { [k: string]: CtyType } = {};
      for (const [k, v] of Object.entries(arg)) attrs[k] = parseType(v);
      return ["object", attrs];
    }
  }
  throw new TfPluginError("codec", `unsupported cty type ${JSON.stringify(raw)}`);
}

/** Infers the cty type of a plain value that has no declared type (inside `dynamic`). */
export function inferType(value: unknown): CtyType {
  if (value === null || value === undefined || isUnknown(value)) return "dynamic";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number" || typeof value === "bigint" || value instanceof ExactNumber) return "number";
  if (typeof value === "object") {
    const known = dynamicTypes.get(value);
    if (known) return known;
    if (Array.isArray(value)) return ["tuple", value.map(inferType)];
    const attrs: { [k: string]: CtyType } = {};
    for (const [k, v] of Object.entries(value)) attrs[k] = inferType(v);
    return ["object", attrs];
  }
  throw new TfPluginError("codec", `cannot infer a terraform type for a ${typeof value}`);
}

/** Readable form of a type for error messages, e.g. `list(string)`. */
export function describeType(type: CtyType): string {
  if (typeof type === "string") return type;
  if (type[0] === "tuple") return `tuple([${type[1].map(describeType).join(", ")}])`;
  if (type[0] === "object") return `object({${Object.entries(type[1]).map(([k, v]) => `${k}=${describeType(v)}`).join(", ")}})`;
  return `${type[0]}(${describeType(type[1])})`;
}
