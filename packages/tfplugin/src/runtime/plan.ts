import type { AnyAttribute, AttributeFields, AttributePath, BlockDef, Fields } from "../types.js";
import { Unknown, isUnknown } from "../values.js";
import type { TfObject, TfValue } from "../values.js";
import { valuesEqual } from "./equal.js";

/**
 * Plans a resource the way Terraform expects of a provider:
 * - defaults fill attributes the configuration leaves null;
 * - write-only attributes are never planned (always null);
 * - on create, computed attributes without a configured value become unknown;
 * - on update, when anything changes, computed attributes without a configured value become
 *   unknown unless `useStateForUnknown` (the prior value is kept);
 * - attributes with `requiresReplace` whose planned value differs from the prior one are
 *   returned as paths, and Terraform turns the update into a replacement.
 */
export function planResource(fields: Fields, prior: TfObject | null, proposed: TfObject, config: TfObject): { planned: TfObject; requiresReplace: AttributePath[] } {
  const withDefaults = applyDefaults(fields, proposed, config);
  // Terraform proposes write-only attributes with their configured value, but they are never
  // stored, so they must not count as a change.
  const changed = prior === null || !valuesEqual(stripWriteOnly(fields, withDefaults), prior);
  const requiresReplace: AttributePath[] = [];
  const planned = planObject(fields, prior, withDefaults, config, { create: prior === null, changed, requiresReplace }, []);
  return { planned, requiresReplace };
}

interface PlanState {
  readonly create: boolean;
  readonly changed: boolean;
  readonly requiresReplace: AttributePath[];
}

type Path = (string | number | { key: string })[];

function applyDefaults(fields: Fields, proposed: TfObject, config: TfObject): TfObject {
  const out: TfObject = { ...proposed };
  for (const [name, field] of Object.entries(fields)) {
    if (field.kind === "attribute" && field.options.default !== undefined && config[name] === null) out[name] = clone(field.options.default as TfValue);
  }
  return out;
}

function planObject(fields: Fields, prior: TfObject | null, proposed: TfObject, config: TfObject | null, state: PlanState, path: Path): TfObject {
  const out: TfObject = { ...proposed };
  for (const [name, field] of Object.entries(fields)) {
    const here = [...path, name];
    const priorValue = prior ? (prior[name] ?? null) : null;
    const configValue = config ? (config[name] ?? null) : null;
    if (field.kind === "attribute") {
      out[name] = planAttribute(field, priorValue, out[name] ?? null, configValue, state, here);
    } else {
      out[name] = planNested(field.mode, field.fields, priorValue, out[name] ?? null, configValue, state, here);
    }
  }
  return out;
}

function planAttribute(attribute: AnyAttribute, prior: TfValue, proposed: TfValue, config: TfValue, state: PlanState, path: Path): TfValue {
  const o = attribute.options;
  if (o.writeOnly) return null;
  let planned = proposed;
  if (config === null && o.default !== undefined) planned = clone(o.default as TfValue);
  else if (config === null && o.computed) {
    if (state.create) planned = Unknown;
    else if (state.changed && !o.useStateForUnknown) planned = Unknown;
    // Otherwise keep the proposed value: Terraform proposes the prior value for computed
    // attributes the configuration leaves null.
  } else if (attribute.nested) {
    planned = planNested(attribute.nested.mode, attribute.nested.fields, prior, proposed, config, state, path);
  }
  // An attribute that only became unknown because it is computed is not a configured change.
  const changedByConfig = !(isUnknown(planned) && config === null);
  if (o.requiresReplace && !state.create && changedByConfig && !valuesEqual(planned, prior)) state.requiresReplace.push(path);
  return planned;
}

function planNested(
  mode: BlockDef<unknown>["mode"],
  fields: Fields | AttributeFields,
  prior: TfValue,
  proposed: TfValue,
  config: TfValue,
  state: PlanState,
  path: Path,
): TfValue {
  if (proposed === null || isUnknown(proposed)) return proposed;
  const asObject = (v: TfValue): TfObject | null => (v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v) ? (v as TfObject) : null);
  if (mode === "single" || mode === "group") {
    const p = asObject(proposed);
    return p ? planObject(fields, asObject(prior), p, asObject(config), state, path) : proposed;
  }
  if (mode === "map") {
    const p = asObject(proposed);
    if (!p) return proposed;
    const pr = asObject(prior);
    const c = asObject(config);
    const out: TfObject = {};
    for (const [k, v] of Object.entries(p)) {
      const obj = asObject(v);
      out[k] = obj ? planObject(fields, asObject(pr?.[k] ?? null), obj, asObject(c?.[k] ?? null), state, [...path, { key: k }]) : v;
    }
    return out;
  }
  if (!Array.isArray(proposed)) return proposed;
  const priorList = Array.isArray(prior) ? prior : [];
  const configList = Array.isArray(config) ? config : [];
  return proposed.map((v, i) => {
    const obj = asObject(v);
    if (!obj) return v;
    // Set elements have no stable position: they get no prior, so their computed parts are
    // planned as on create only when the whole resource is new.
    const priorElement = mode === "list" ? asObject(priorList[i] ?? null) : null;
    const elementState = mode === "set" ? { ...state, create: state.create, changed: false } : state;
    return planObject(fields, priorElement, obj, asObject(configList[i] ?? null), elementState, mode === "list" ? [...path, i] : path);
  });
}

function clone(value: TfValue): TfValue {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    const out: TfObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = clone(v);
    return out;
  }
  return value;
}

/** Nulls write-only attributes (top level and nested) so they never reach plan or state. */
export function stripWriteOnly(fields: Fields, value: TfObject): TfObject {
  const out: TfObject = { ...value };
  for (const [name, field] of Object.entries(fields)) {
    if (field.kind === "attribute" && field.options.writeOnly) out[name] = null;
  }
  return out;
}
