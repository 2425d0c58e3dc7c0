import { isLosslessNumber, parse } from "lossless-json";
import { TfPluginError } from "../errors.js";
import type { CtyType } from "../types.js";
import { ExactNumber, isUnknown, numberFromDecimal } from "../values.js";
import type { TfValue } from "../values.js";
import { inferType, parseType, withType } from "./type.js";

/**
 * Decodes cty JSON (stored state, DynamicValue.json) of type `type`. Numbers are parsed
 * losslessly; `dynamic` values use cty's `{"value": ..., "type": ...}` wrapper.
 */
export function decodeJson(text: string | Uint8Array, type: CtyType): TfValue {
  const source = typeof text === "string" ? text : new TextDecoder().decode(text);
  if (source.trim() === "") return null;
  return fromJson(parse(source), type);
}

/** Converts an already-parsed lossless JSON tree of type `type` to a plain value. */
export function fromJson(raw: unknown, type: CtyType): TfValue {
  if (raw === null || raw === undefined) return null;
  if (type === "dynamic") {
    const wrapper = raw as { value?: unknown; type?: unknown };
    if (typeof wrapper !== "object" || !("type" in wrapper)) throw new TfPluginError("codec", "dynamic value without its type in state json");
    const actual = parseType(wrapper.type);
    const value = fromJson(wrapper.value, actual);
    if (value !== null && typeof value === "object" && !(value instanceof ExactNumber)) withType(value, actual);
    return value;
  }
  if (type === "string") {
    if (typeof raw === "string") return raw;
    // cty's JSON decoder converts primitives into strings the same way.
    if (isLosslessNumber(raw)) return raw.toString();
    if (typeof raw === "boolean" || typeof raw === "number") return String(raw);
  }
  if (type === "bool") {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "false") return raw === "true";
  }
  if (type === "number") {
    if (isLosslessNumber(raw)) return numberFromDecimal(raw.toString());
    if (typeof raw === "string") return numberFromDecimal(raw);
    if (typeof raw === "number") return raw;
  }
  if (Array.isArray(type)) {
    const [kind] = type;
    if ((kind === "list" || kind === "set" || kind === "tuple") && Array.isArray(raw)) {
      return raw.map((v: unknown, i) => fromJson(v, kind === "tuple" ? ((type[1] as readonly CtyType[])[i] ?? "dynamic") : (type[1] as CtyType)));
    }
    if ((kind === "map" || kind === "object") && typeof raw === "object" && !Array.isArray(raw)) {
      const record = raw as Record<string, unknown>;
      const out: { [k: string]: TfValue } = {};
      if (kind === "map") for (const [k, v] of Object.entries(record)) out[k] = fromJson(v, type[1]);
      // Attributes the current schema no longer has are dropped; missing ones become null.
      else for (const [k, t] of Object.entries(type[1] as { [k: string]: CtyType })) out[k] = fromJson(record[k], t);
      return out;
    }
  }
  throw new TfPluginError("codec", `state json value ${JSON.stringify(String(raw)).slice(0, 40)} does not match type ${JSON.stringify(type)}`);
}

/** Encodes a plain value of type `type` as cty JSON text. Unknown values cannot be encoded. */
export function encodeJson(value: unknown, type: CtyType): string {
  return toJsonText(value, type);
}

function toJsonText(value: unknown, type: CtyType): string {
  if (value === null || value === undefined) return "null";
  if (isUnknown(value)) throw new TfPluginError("codec", "unknown values have no json encoding");
  if (type === "dynamic") {
    const actual = inferType(value);
    return `{"value":${toJsonText(value, actual)},"type":${JSON.stringify(actual)}}`;
  }
  if (type === "number") {
    if (value instanceof ExactNumber) return value.decimal;
    if (typeof value === "number" || typeof value === "bigint") return String(value);
  }
  if (type === "string" || type === "bool") return JSON.stringify(value);
  if (Array.isArray(type) && typeof value === "object") {
    const [kind] = type;
    if (Array.isArray(value)) return `[${value.map((v: unknown, i) => toJsonText(v, kind === "tuple" ? (type[1] as CtyType[])[i] ?? "dynamic" : (type[1] as CtyType))).join(",")}]`;
    const record = value as Record<string, unknown>;
    const keys = kind === "object" ? Object.keys(type[1] as object) : Object.keys(record);
    const itemType = (k: string): CtyType => (kind === "object" ? (type[1] as Record<string, CtyType>)[k] ?? "dynamic" : (type[1] as CtyType));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${toJsonText(record[k], itemType(k))}`).join(",")}}`;
  }
  throw new TfPluginError("codec", `value does not match type ${JSON.stringify(type)}`);
}
