import type { RunDelta } from "@gantry/contract";

interface PlanJson {
  resource_changes?: { change?: { actions?: string[] } }[];
  output_changes?: Record<string, { actions?: string[] }>;
}

/** Counts resource changes of a `show -json` plan the way the UI shows them: a replacement adds one and deletes one. */
export function planDelta(plan: PlanJson): RunDelta {
  const delta = { added: 0, changed: 0, deleted: 0, outputs: 0 };
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change?.actions ?? [];
    if (a.includes("create")) delta.added++;
    if (a.includes("delete")) delta.deleted++;
    if (a.length === 1 && a[0] === "update") delta.changed++;
  }
  for (const oc of Object.values(plan.output_changes ?? {})) if ((oc.actions ?? []).some((a) => a !== "no-op")) delta.outputs++;
  return delta;
}

/**
 * Whether terraform's own plan summary (`Plan: 1 to add, 0 to change, 0 to destroy.`, the line a
 * plan prints only when resources change) counts any resource change. Output-only or drift-only
 * plans print no such line, and `planDelta` of their JSON is all zeros; a run must not apply
 * them early on the strength of `-detailed-exitcode` alone. The last summary wins; the diff
 * above it indents attribute values, so they cannot pose as one.
 */
export function summaryHasResourceChanges(planStdout: string): boolean {
  const all = [...planStdout.matchAll(/^Plan: (?:\d+ to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy\b/gm)];
  const last = all.at(-1);
  return last !== undefined && Number(last[1]) + Number(last[2]) + Number(last[3]) > 0;
}
