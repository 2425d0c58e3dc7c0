import type { PlanAction, PlanAttributeChange, PlanResourceChange, RunPlan } from "@gantry/contract";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, Json>;

interface TerraformChange {
  actions?: string[];
  before?: Json;
  after?: Json;
  after_unknown?: Json;
  before_sensitive?: Json;
  after_sensitive?: Json;
  replace_paths?: Json[][];
}
interface TerraformResourceChange {
  address?: string;
  type?: string;
  provider_name?: string;
  action_reason?: string;
  change?: TerraformChange;
}
interface TerraformPlan {
  resource_changes?: TerraformResourceChange[];
  output_changes?: Record<string, TerraformChange>;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** terraform's action list folded into one word: ["delete","create"] and ["create","delete"] are a replacement. */
export function planAction(actions: string[] | undefined): PlanAction {
  const a = actions ?? ["no-op"];
  if (a.includes("create") && a.includes("delete")) return "replace";
  const one = a[0] ?? "no-op";
  return (["create", "update", "delete", "read", "no-op", "forget"] as const).find((x) => x === one) ?? "no-op";
}

/** True when terraform's sensitivity mark (true, or a structure holding a true) covers any part of the value. */
function marked(mark: Json | undefined): boolean {
  if (mark === true) return true;
  if (Array.isArray(mark)) return mark.some(marked);
  if (isObj(mark)) return Object.values(mark).some(marked);
  return false;
}

/** Whether a value's text carries one of the stack's write-only values (terraform cannot know a TF_VAR_ is secret). */
function holdsSecret(value: Json | undefined, secrets: readonly string[]): boolean {
  if (value === undefined || value === null || secrets.length === 0) return false;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return secrets.some((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}

function attributes(c: TerraformChange, action: PlanAction, secrets: readonly string[]): PlanAttributeChange[] {
  const before = isObj(c.before) ? c.before : {};
  const after = isObj(c.after) ? c.after : {};
  const unknown = isObj(c.after_unknown) ? c.after_unknown : {};
  const bs = isObj(c.before_sensitive) ? c.before_sensitive : {};
  const as = isObj(c.after_sensitive) ? c.after_sensitive : {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)])].sort();
  const out: PlanAttributeChange[] = [];
  for (const name of names) {
    const b = before[name];
    const a = after[name];
    const unknownAfter = marked(unknown[name]);
    const changed = unknownAfter || JSON.stringify(b ?? null) !== JSON.stringify(a ?? null);
    // Updates and replacements list what changes; creations and deletions list every attribute.
    if ((action === "update" || action === "replace") && !changed) continue;
    if (action === "create" && (a === undefined || a === null) && !unknownAfter) continue;
    if (action === "delete" && (b === undefined || b === null)) continue;
    const sensitive = marked(bs[name]) || marked(as[name]) || c.before_sensitive === true || c.after_sensitive === true || holdsSecret(b, secrets) || holdsSecret(a, secrets);
    out.push({ name, before: sensitive ? null : (b ?? null), after: sensitive || unknownAfter ? null : (a ?? null), sensitive, unknownAfter });
  }
  return out;
}

/**
 * A plan JSON (`terraform show -json`) as a reviewer reads it: each changed resource with the
 * attributes that change. Values terraform marks sensitive, and values that carry one of the
 * stack's write-only values, are withheld (null, `sensitive: true`): the plan blob holds them
 * in clear, this view must not pass them on.
 */
export function planView(planJson: string | undefined, secrets: readonly string[]): RunPlan {
  const empty: RunPlan = { available: false, summary: { create: 0, update: 0, replace: 0, delete: 0 }, resources: [], outputs: [] };
  if (planJson === undefined) return empty;
  const plan = JSON.parse(planJson) as TerraformPlan;
  const resources: PlanResourceChange[] = [];
  const summary = { ...empty.summary };
  for (const rc of plan.resource_changes ?? []) {
    const c = rc.change ?? {};
    const action = planAction(c.actions);
    if (action === "no-op") continue;
    if (action === "create" || action === "update" || action === "replace" || action === "delete") summary[action]++;
    resources.push({
      address: rc.address ?? "",
      type: rc.type ?? "",
      providerName: rc.provider_name ?? "",
      action,
      actionReason: rc.action_reason ?? null,
      replacePaths: (c.replace_paths ?? []).map((p) => (Array.isArray(p) ? p.join(".") : String(p))),
      attributes: attributes(c, action, secrets),
    });
  }
  const outputs = Object.entries(plan.output_changes ?? {}).flatMap(([name, c]) => {
    const action = planAction(c.actions);
    if (action === "no-op") return [];
    const unknownAfter = marked(c.after_unknown);
    const sensitive = marked(c.before_sensitive) || marked(c.after_sensitive) || holdsSecret(c.before, secrets) || holdsSecret(c.after, secrets);
    return [{ name, action, before: sensitive ? null : (c.before ?? null), after: sensitive || unknownAfter ? null : (c.after ?? null), sensitive, unknownAfter }];
  });
  return { available: true, summary, resources, outputs };
}
