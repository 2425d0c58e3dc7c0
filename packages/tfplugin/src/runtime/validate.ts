import type { AnyAttribute, AttributeFields, AttributePath, BlockDef, Diagnostic, Fields, ValidationResult } from "../types.js";
import { containsUnknown, isUnknown } from "../values.js";
import type { TfObject, TfValue } from "../values.js";

/**
 * Runs attribute validators over a configuration value. Unknown and null values are skipped:
 * Terraform validates again with the final values at apply time.
 */
export function validateFields(fields: Fields | AttributeFields, config: TfValue, path: AttributePath = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  const object = asObject(config);
  if (!object) return out;
  for (const [name, field] of Object.entries(fields)) {
    const value = object[name] ?? null;
    const here = [...path, name];
    if (field.kind === "attribute") out.push(...validateAttribute(field, value, here));
    else out.push(...validateNested(field.mode, field.fields, value, here));
  }
  return out;
}

function validateAttribute(attribute: AnyAttribute, value: TfValue, path: AttributePath): Diagnostic[] {
  if (value === null || isUnknown(value)) return [];
  const out: Diagnostic[] = [];
  if (attribute.type.integer && typeof value === "number" && !Number.isSafeInteger(value)) {
    out.push({ severity: "error", summary: "Invalid value", detail: `expected a whole number, got ${value}`, path });
  } else if (attribute.type.integer && typeof value !== "number") {
    out.push({ severity: "error", summary: "Invalid value", detail: `expected a whole number, got ${String(value)}`, path });
  }
  if (attribute.nested) out.push(...validateNested(attribute.nested.mode, attribute.nested.fields, value, path));
  const validators = attribute.options.validate;
  if (validators === undefined || out.length > 0 || containsUnknown(value)) return out;
  for (const validator of Array.isArray(validators) ? validators : [validators]) {
    out.push(...toDiagnostics(validator(value, { path }), path));
  }
  return out;
}

function validateNested(mode: BlockDef<unknown>["mode"], fields: Fields | AttributeFields, value: TfValue, path: AttributePath): Diagnostic[] {
  if (value === null || isUnknown(value)) return [];
  if (mode === "single" || mode === "group") return validateFields(fields, value, path);
  if (Array.isArray(value)) return value.flatMap((v, i) => validateFields(fields, v, mode === "list" ? [...path, i] : path));
  const object = asObject(value);
  if (!object) return [];
  return Object.entries(object).flatMap(([k, v]) => validateFields(fields, v, [...path, { key: k }]));
}

/** Normalises what a validator returned into diagnostics at `path`. */
export function toDiagnostics(result: ValidationResult, path: AttributePath): Diagnostic[] {
  if (result === undefined || result === null) return [];
  if (typeof result === "string") return [{ severity: "error", summary: `Invalid value for ${lastName(path)}`, detail: result, path }];
  const list: readonly Diagnostic[] = Array.isArray(result) ? result : [result as Diagnostic];
  return list.map((d) => (d.path ? d : { ...d, path }));
}

function asObject(value: TfValue): TfObject | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isUnknown(value) ? (value as TfObject) : null;
}

function lastName(path: AttributePath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return String(path[i]);
  return "attribute";
}
