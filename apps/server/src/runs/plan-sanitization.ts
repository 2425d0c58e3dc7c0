import { sanitizeString } from "@gantry/rego";
import type { Core } from "../core.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Hash = (s: string) => string;

/** The hash the server sanitizes with: a keyed hash, so receipts do not reveal short secrets to guessing. */
export function planSanitizer(core: Pick<Core, "box">): Hash {
  const key = core.box.derive("plan-sanitization");
  return (s) => sanitizeString(s, key);
}

function isObject(x: unknown): x is Record<string, Json> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

/** Every string in a value hashed (Spacelift's default sanitization). */
function hashAll(v: Json, hash: Hash): Json {
  if (typeof v === "string") return hash(v);
  if (Array.isArray(v)) return v.map((x) => hashAll(x, hash));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hashAll(x, hash)]));
  return v;
}

/**
 * The values terraform marks sensitive hashed (smart sanitization). `marks` mirrors the value:
 * `true` marks the whole sub-value; objects and arrays mark their members. A sensitive value that
 * is not a string (a number, a whole object) is hashed as its JSON text, so nothing marked
 * sensitive stays readable.
 */
function hashMarked(v: Json, marks: unknown, hash: Hash): Json {
  if (marks === true) return typeof v === "string" ? hash(v) : v === null ? null : hash(JSON.stringify(v));
  if (Array.isArray(v) && Array.isArray(marks)) return v.map((x, i) => hashMarked(x, marks[i], hash));
  if (isObject(v) && isObject(marks)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hashMarked(x, marks[k], hash)]));
  return v;
}

function sanitizeValue(v: Json | undefined, marks: unknown, smart: boolean, hash: Hash): Json | undefined {
  if (v === undefined) return v;
  return smart ? hashMarked(v, marks, hash) : hashAll(v, hash);
}

/** `planned_values` / `prior_state` modules: resources' `values` with their `sensitive_values`, outputs, child modules. */
function sanitizeModule(m: Json | undefined, smart: boolean, hash: Hash): Json | undefined {
  if (!isObject(m)) return m;
  const out: Record<string, Json> = { ...m };
  if (Array.isArray(m.resources)) {
    out.resources = m.resources.map((r) => (isObject(r) ? { ...r, values: sanitizeValue(r.values, r.sensitive_values, smart, hash) ?? null } : r));
  }
  if (Array.isArray(m.child_modules)) out.child_modules = m.child_modules.map((c) => sanitizeModule(c, smart, hash) ?? null);
  return out;
}

function sanitizeOutputs(outputs: Json | undefined, smart: boolean, hash: Hash): Json | undefined {
  if (!isObject(outputs)) return outputs;
  return Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, isObject(o) ? { ...o, value: sanitizeValue(o.value, o.sensitive === true, smart, hash) ?? null } : o]));
}

function sanitizeChange(c: Json | undefined, smart: boolean, hash: Hash): Json | undefined {
  if (!isObject(c)) return c;
  return {
    ...c,
    ...(c.before !== undefined ? { before: sanitizeValue(c.before, c.before_sensitive, smart, hash)! } : {}),
    ...(c.after !== undefined ? { after: sanitizeValue(c.after, c.after_sensitive, smart, hash)! } : {}),
  };
}

/**
 * Spacelift's resource sanitization of a plan JSON before PLAN policies (and their receipts) see
 * it: with smart sanitization only the values terraform marks sensitive are hashed, otherwise
 * every string value is. Covers resource and output changes, planned values, prior state and
 * the plan's variables (sensitive per the configuration). Structure, keys, numbers and booleans
 * are kept, so policies still read them.
 */
export function sanitizePlan(plan: unknown, smart: boolean, hash: Hash): unknown {
  if (!isObject(plan)) return plan;
  const p: Record<string, Json> = { ...plan };
  if (Array.isArray(plan.resource_changes)) {
    p.resource_changes = plan.resource_changes.map((rc) => (isObject(rc) ? { ...rc, change: sanitizeChange(rc.change, smart, hash) ?? null } : rc));
  }
  if (Array.isArray(plan.resource_drift)) {
    p.resource_drift = plan.resource_drift.map((rc) => (isObject(rc) ? { ...rc, change: sanitizeChange(rc.change, smart, hash) ?? null } : rc));
  }
  if (isObject(plan.output_changes)) {
    p.output_changes = Object.fromEntries(Object.entries(plan.output_changes).map(([k, c]) => [k, sanitizeChange(c, smart, hash) ?? null]));
  }
  if (isObject(plan.planned_values)) {
    p.planned_values = { ...plan.planned_values, root_module: sanitizeModule(plan.planned_values.root_module, smart, hash) ?? null, outputs: sanitizeOutputs(plan.planned_values.outputs, smart, hash) ?? null };
    if (plan.planned_values.outputs === undefined) delete (p.planned_values as Record<string, Json>).outputs;
    if (plan.planned_values.root_module === undefined) delete (p.planned_values as Record<string, Json>).root_module;
  }
  if (isObject(plan.prior_state) && isObject(plan.prior_state.values)) {
    const v = plan.prior_state.values;
    p.prior_state = { ...plan.prior_state, values: { ...v, ...(v.root_module !== undefined ? { root_module: sanitizeModule(v.root_module, smart, hash)! } : {}), ...(v.outputs !== undefined ? { outputs: sanitizeOutputs(v.outputs, smart, hash)! } : {}) } };
  }
  if (isObject(plan.variables)) {
    const declared = isObject(plan.configuration) && isObject(plan.configuration.root_module) && isObject(plan.configuration.root_module.variables) ? plan.configuration.root_module.variables : {};
    p.variables = Object.fromEntries(Object.entries(plan.variables).map(([k, v]) => {
      const sensitive = isObject(declared[k]) && (declared[k] as Record<string, Json>).sensitive === true;
      return [k, isObject(v) ? { ...v, value: sanitizeValue(v.value, sensitive, smart, hash) ?? null } : v];
    }));
  }
  return p;
}
