import type { Core } from "../core.js";
import { parseJson } from "../db/rows.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { evaluatePolicies } from "../policy-engine/evaluate.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import { explainStack } from "../attachments/resolve.js";

export interface PlanGate {
  denied: boolean;
  warnings: boolean;
  approvalPolicies: boolean;
  /** Why the run did not simply go on: the deny or warn messages. */
  reason: string | null;
}

/** Spacelift's `spacelift.run` and `spacelift.stack` documents, as far as Gantry records them. */
export function runDocuments(run: RunsTable, stack: StacksTable) {
  return {
    run: {
      id: run.id, type: run.type, state: run.state, command: run.command ?? "", triggered_by: run.triggered_by, created_at: run.created_at,
      commit: { hash: run.commit_sha ?? "", branch: run.commit_branch, message: run.commit_message ?? "", author: run.commit_author ?? "" },
      changes: [],
    },
    stack: {
      id: stack.id, name: stack.name, space: { id: stack.space_id }, branch: stack.branch, labels: parseJson<string[]>(stack.labels), autodeploy: stack.autodeploy === 1,
      project_root: stack.project_root, repository: stack.repository, administrative: stack.administrative === 1, locked_by: stack.locked_by, terraform_version: stack.terraform_version,
    },
  };
}

/** Spacelift's plan policy input: `spacelift.{run,stack}` and `terraform` = the plan JSON. */
export function planPolicyInput(run: RunsTable, stack: StacksTable, plan: unknown) {
  return { spacelift: runDocuments(run, stack), terraform: plan };
}

/**
 * Evaluates the PLAN policies that apply to the run's stack: any `deny` fails the run, a `warn`
 * stops autodeploy (PENDING_REVIEW when approval policies apply).
 */
export async function planGate(core: Core, engine: PolicyEngine | undefined, run: RunsTable, stack: StacksTable, planJson: string | null): Promise<PlanGate> {
  const approvalPolicies = (await explainStack(core.db, stack)).policies.some((p) => p.type === "APPROVAL");
  const verdict = await evaluatePolicies(core, engine, run.id, stack, "PLAN", ["deny", "warn"], planPolicyInput(run, stack, planJson ? (JSON.parse(planJson) as unknown) : null));
  const deny = verdict.rules.deny ?? [];
  const warn = verdict.rules.warn ?? [];
  const reason = deny.length ? `denied by plan policy: ${deny.join("; ")}` : warn.length ? `plan policy warnings: ${warn.join("; ")}` : null;
  return { denied: deny.length > 0, warnings: warn.length > 0, approvalPolicies, reason };
}
