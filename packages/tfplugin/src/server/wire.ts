import { decodeJson } from "../cty/json.js";
import { decodeMsgpack, encodeMsgpack } from "../cty/msgpack.js";
import { TfPluginError } from "../errors.js";
import type { AttributePath, CtyType, Diagnostic } from "../types.js";
import type { TfObject, TfValue } from "../values.js";
import type { Message } from "./proto.js";

/** Decodes a tfplugin6.DynamicValue (msgpack, or json when that is what was sent). */
export function fromDynamicValue(dv: unknown, type: CtyType): TfValue {
  const value = (dv ?? {}) as { msgpack?: Uint8Array; json?: Uint8Array };
  if (value.msgpack && value.msgpack.length > 0) return decodeMsgpack(value.msgpack, type);
  if (value.json && value.json.length > 0) return decodeJson(value.json, type);
  return null;
}

/** Decodes a DynamicValue that must hold an object (or null). */
export function objectFromDynamicValue(dv: unknown, type: CtyType): TfObject | null {
  const value = fromDynamicValue(dv, type);
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) throw new TfPluginError("codec", "expected an object value");
  return value as TfObject;
}

/** Encodes a value as a tfplugin6.DynamicValue. */
export function toDynamicValue(value: unknown, type: CtyType): Message {
  return { msgpack: encodeMsgpack(value, type) };
}

/** Converts a path to tfplugin6.AttributePath. */
export function pathToProto(path: AttributePath): Message {
  return {
    steps: path.map((step) =>
      typeof step === "string" ? { attribute_name: step } : typeof step === "number" ? { element_key_int: step } : { element_key_string: step.key },
    ),
  };
}

/** Converts diagnostics to tfplugin6.Diagnostic messages. */
export function diagnosticsToProto(list: readonly Diagnostic[]): Message[] {
  return list.map((d) => ({
    severity: d.severity === "error" ? 1 : 2,
    summary: d.summary,
    detail: d.detail ?? "",
    ...(d.path && d.path.length > 0 ? { attribute: pathToProto(d.path) } : {}),
  }));
}

/** Turns anything thrown by a handler into an error diagnostic. */
export function errorToDiagnostic(error: unknown, fallbackPath?: AttributePath): Diagnostic {
  if (error instanceof TfPluginError) {
    const path = error.options.path ?? fallbackPath;
    return { severity: "error", summary: error.message, ...(error.options.detail ? { detail: error.options.detail } : {}), ...(path ? { path } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { severity: "error", summary: message, ...(fallbackPath ? { path: fallbackPath } : {}) };
}
