import { isLosslessNumber } from "lossless-json";
import { numberFromDecimal } from "../values.js";
import type { TfValue } from "../values.js";

/** Converts a lossless-json tree to plain values (numbers exact) without a type. */
export function plainFromJson(raw: unknown): TfValue {
  if (raw === null || raw === undefined) return null;
  if (isLosslessNumber(raw)) return numberFromDecimal(raw.toString());
  if (typeof raw === "string" || typeof raw === "boolean") return raw;
  if (Array.isArray(raw)) return raw.map(plainFromJson);
  if (typeof raw === "object") {
    const out: { [k: string]: TfValue } = {};
    for (const [k, v] of Object.entries(raw)) out[k] = plainFromJson(v);
    return out;
  }
  return null;
}
