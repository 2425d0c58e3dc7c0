import type { RunDelta } from "@gantry/contract";

interface PlanJson {
  resource_changes?: { change?: { actions?: string[] } }[];
}

/** Counts resource changes of a `show -json` plan the way the UI shows them: a replacement adds one and deletes one. */
export function planDelta(plan: PlanJson): RunDelta {
  const delta = { added: 0, changed: 0, deleted: 0 };
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change?.actions ?? [];
    if (a.includes("create")) delta.added++;
    if (a.includes("delete")) delta.deleted++;
    if (a.length === 1 && a[0] === "update") delta.changed++;
  }
  return delta;
}
