import type { Core } from "../core.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { evaluatePolicies } from "../policy-engine/evaluate.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import { explainStack } from "../attachments/resolve.js";
import { planSanitizer, sanitizePlan } from "./plan-sanitization.js";
import { BlobStore } from "./blob-store.js";
import { runChanges, type RunChange } from "./run-changes.js";
import { commitDocument, documentContext, previousRun, requestDocument, runDocument, stackDocument, type DocumentContext } from "./policy-documents.js";

export interface PlanGate {
  denied: boolean;
  warnings: boolean;
  approvalPolicies: boolean;
  /** Why the run did not simply go on: the deny or warn messages. */
  reason: string | null;
}

/** Spacelift's `run` and `stack` documents of a run (see `policy-documents.ts`). */
export function runDocuments(run: RunsTable, stack: StacksTable, ctx: DocumentContext, changes: RunChange[] = []) {
  return { run: runDocument(run, stack, changes), stack: stackDocument(stack, ctx) };
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

/** A plan document as policies see it: terraform's sanitized as the stack asks, the others as the worker made them. */
function planAsPoliciesSeeIt(core: Core, stack: StacksTable, planJson: string | null): unknown {
  const parsed = planJson ? (JSON.parse(planJson) as unknown) : null;
  return parsed !== null && planKey(stack.vendor) === "terraform" ? sanitizePlan(parsed, stack.smart_sanitization !== 0, planSanitizer(core)) : parsed;
}

/**
 * The run's `run.changes` from its stored plan, for policies evaluated after the plan (approval
 * policies in UNCONFIRMED and PENDING_REVIEW); empty before the plan is stored.
 */
export async function storedRunChanges(core: Core, run: RunsTable, stack: StacksTable) {
  const blob = await new BlobStore(core.box).latest(core.db, "run", run.id, "plan-json");
  return blob ? runChanges(stack.vendor, planAsPoliciesSeeIt(core, stack, blob.toString("utf8"))) : [];
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
  const plan = planAsPoliciesSeeIt(core, stack, planJson);
  const input = planPolicyInput(run, stack, await documentContext(core.db, stack), await previousRun(core.db, run), plan);
  const verdict = await evaluatePolicies(core, engine, run.id, stack, "PLAN", ["deny", "warn"], input, { sanitize });
  const deny = verdict.rules.deny ?? [];
  const warn = verdict.rules.warn ?? [];
  const reason = deny.length ? `denied by plan policy: ${deny.join("; ")}` : warn.length ? `plan policy warnings: ${warn.join("; ")}` : null;
  return { denied: deny.length > 0, warnings: warn.length > 0, approvalPolicies, reason };
}
