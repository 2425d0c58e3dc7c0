import type { Core } from "../core.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { evaluatePolicies } from "../policy-engine/evaluate.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import { explainStack } from "../attachments/resolve.js";
import { planSanitizer, sanitizePlan } from "./plan-sanitization.js";
import { runChanges } from "./run-changes.js";
import { commitDocument, documentContext, previousRun, requestDocument, runDocument, stackDocument, type DocumentContext } from "./policy-documents.js";

export interface PlanGate {
  denied: boolean;
  warnings: boolean;
  approvalPolicies: boolean;
  /** Why the run did not simply go on: the deny or warn messages. */
  reason: string | null;
}

/** Spacelift's `run` and `stack` documents of a run (see `policy-documents.ts`). */
export function runDocuments(run: RunsTable, stack: StacksTable, ctx: DocumentContext) {
  return { run: runDocument(run, stack), stack: stackDocument(stack, ctx) };
}

/** The key a vendor's plan document goes under, as in Spacelift's plan input. */
const planKey = (vendor: string | undefined) => (vendor === "KUBERNETES" ? "kubernetes" : vendor === "ANSIBLE" ? "ansible" : "terraform");

/**
 * Spacelift's plan policy input: `spacelift.{run,stack,commit,previous_run,request}` and the
 * vendor's plan document: `terraform` (the plan JSON), `kubernetes` or `ansible` (docs/vendors.md).
 * `run.changes` is the vendor-neutral list of what the plan would change (run-changes.ts).
 */
export function planPolicyInput(run: RunsTable, stack: StacksTable, ctx: DocumentContext, previous: RunsTable | undefined, plan: unknown) {
  return {
    spacelift: { run: runDocument(run, stack, runChanges(stack.vendor, plan)), stack: stackDocument(stack, ctx), commit: commitDocument(run), previous_run: previous ? runDocument(previous, stack) : null, request: requestDocument() },
    [planKey(stack.vendor)]: plan,
  };
}

/**
 * Evaluates the PLAN policies that apply to the run's stack: any `deny` fails the run, a `warn`
 * stops autodeploy (PENDING_REVIEW when approval policies apply).
 */
export async function planGate(core: Core, engine: PolicyEngine | undefined, run: RunsTable, stack: StacksTable, planJson: string | null): Promise<PlanGate> {
  const applied = (await explainStack(core.db, stack)).policies;
  const approvalPolicies = applied.some((p) => p.type === "APPROVAL");
  // Nothing to evaluate: skip building the input (the common case, and every run pays for it).
  if (!applied.some((p) => p.type === "PLAN")) return { denied: false, warnings: false, approvalPolicies, reason: null };
  // Policies and their receipts see the plan sanitized as the stack asks (Spacelift's resource
  // sanitization), and `sanitized()` hashes with the same key.
  const sanitize = planSanitizer(core);
  // Sanitization reads terraform's sensitivity marks; other vendors' documents leave secrets out at the source.
  const parsed = planJson ? (JSON.parse(planJson) as unknown) : null;
  const plan = parsed !== null && planKey(stack.vendor) === "terraform" ? sanitizePlan(parsed, stack.smart_sanitization !== 0, sanitize) : parsed;
  const input = planPolicyInput(run, stack, await documentContext(core.db, stack), await previousRun(core.db, run), plan);
  const verdict = await evaluatePolicies(core, engine, run.id, stack, "PLAN", ["deny", "warn"], input, { sanitize });
  const deny = verdict.rules.deny ?? [];
  const warn = verdict.rules.warn ?? [];
  const reason = deny.length ? `denied by plan policy: ${deny.join("; ")}` : warn.length ? `plan policy warnings: ${warn.join("; ")}` : null;
  return { denied: deny.length > 0, warnings: warn.length > 0, approvalPolicies, reason };
}
