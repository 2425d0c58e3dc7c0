import type { StackAccess } from "../access/stack-access.js";
import type { Principal } from "../auth/principal.js";
import type { Core } from "../core.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { runPolicyTests } from "./policy-tests.js";
import { simulatePolicy } from "./simulate.js";

/** The run log phase (and pull-request comment section) holding the what-if of changed policies. */
export const POLICY_WHAT_IF_PHASE = "policy what-if";

/** How many recorded inputs per stack the what-if replays: enough to see a trend, quick on every plan. */
const WHAT_IF_LAST = 10;

interface PolicyValues { id?: string; slug?: string; name?: string; type?: string; body?: string; tests?: string; rego_version?: string }
interface ResourceChange { type?: string; mode?: string; address?: string; change?: { actions?: string[]; before?: PolicyValues | null; after?: PolicyValues | null } }

/** `gantry_policy` resources whose body, tests or Rego version the plan changes (or creates). */
export function changedPolicies(plan: unknown): { address: string; before: PolicyValues | null; after: PolicyValues }[] {
  const changes = ((plan as { resource_changes?: ResourceChange[] } | null)?.resource_changes ?? []);
  const out: { address: string; before: PolicyValues | null; after: PolicyValues }[] = [];
  for (const rc of changes) {
    if (rc.type !== "gantry_policy" || rc.mode === "data") continue;
    const actions = rc.change?.actions ?? [];
    const after = rc.change?.after;
    if (!after || typeof after.body !== "string" || !(actions.includes("create") || actions.includes("update"))) continue;
    const before = rc.change?.before ?? null;
    if (before && before.body === after.body && (before.tests ?? "") === (after.tests ?? "") && before.rego_version === after.rego_version) continue;
    out.push({ address: rc.address ?? "gantry_policy", before, after });
  }
  return out;
}

/**
 * For a proposed run of an administrative stack: each policy whose body the plan changes gets
 * its tests run and its what-if against recorded inputs, so reviewers see the effect before the
 * merge. Replayed as the run itself (admin of its stack's space only): stacks beyond the admin
 * stack's reach are skipped and counted, never described. Returns the lines for the run log and
 * the pull-request comment, or null when the plan changes no policy body.
 */
export async function adminPolicyWhatIf(core: Core, access: StackAccess, run: RunsTable, stack: StacksTable, planJson: string | null): Promise<string[] | null> {
  if (stack.administrative !== 1 || run.type !== "PROPOSED" || !planJson) return null;
  const changed = changedPolicies(JSON.parse(planJson) as unknown);
  if (changed.length === 0) return null;
  const asRun: Principal = { kind: "run", id: run.id, name: `run ${run.id} of stack ${stack.id}`, bindings: [{ spaceId: stack.space_id, role: "admin" }], stackId: stack.id };
  const lines: string[] = [];
  for (const { address, before, after } of changed) {
    const id = before?.id ?? after.id ?? after.slug ?? address;
    const regoVersion = after.rego_version === "V0" ? "V0" : "V1";
    const type = after.type ?? before?.type ?? "PLAN";
    const tests = after.tests ?? "";
    if (tests.trim() === "") lines.push(`${address} (policy ${id}): no tests: add tests (the resource's tests attribute) so a broken policy is refused before it is saved`);
    else {
      const summary = runPolicyTests({ id, body: after.body!, regoVersion, type, tests });
      lines.push(`${address} (policy ${id}): tests ${summary.passed}/${summary.total} passed${summary.failed.length ? `; FAILED: ${summary.failed.map((f) => `${f.name} ${f.reason}`).join("; ")} (applying will be refused)` : ""}`);
    }
    const saved = before?.id ? await core.db.selectFrom("policies").selectAll().where("id", "=", before.id).executeTakeFirst() : undefined;
    if (!saved) {
      lines.push(`${address} (policy ${id}): new policy: no recorded inputs to compare with yet`);
      continue;
    }
    try {
      const sim = await simulatePolicy(core, access, asRun, saved, { body: after.body, regoVersion, last: WHAT_IF_LAST });
      lines.push(`${address} (policy ${id}): what-if against recorded inputs: ${sim.summary.text}${sim.skipped.inputs ? ` (${sim.skipped.inputs} inputs of ${sim.skipped.stacks} stacks beyond this stack's space not replayed)` : ""}`);
    } catch (err) {
      lines.push(`${address} (policy ${id}): what-if not possible: ${(err as Error).message}`);
    }
  }
  return lines;
}
