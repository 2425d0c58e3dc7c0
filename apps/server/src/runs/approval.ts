import type { Core } from "../core.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { evaluatePolicies } from "../policy-engine/evaluate.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import type { RunEngine } from "./engine.js";
import { runDocuments, storedRunChanges } from "./plan-gate.js";
import { documentContext } from "./policy-documents.js";
import { loadRun } from "./repository.js";

export type ApprovalOutcome = "none" | "approve" | "reject" | "undecided";

/** Spacelift's approval input: the reviews (of the run's current state, and older), `run` and `stack`. */
async function approvalInput(core: Core, run: RunsTable, stack: StacksTable) {
  const reviews = await core.db.selectFrom("run_reviews").selectAll().where("run_id", "=", run.id).orderBy("id").execute();
  const shape = (state: "current" | "older") => {
    const rs = reviews.filter((r) => (r.run_state === run.state) === (state === "current"));
    const item = (r: (typeof reviews)[number]) => ({ author: r.author, request: { timestamp_ns: Date.parse(r.at) * 1e6 }, session: { login: r.author }, state: r.run_state, state_version: 0 });
    return { approvals: rs.filter((r) => r.decision === "approve").map(item), rejections: rs.filter((r) => r.decision === "reject").map(item) };
  };
  // After the plan (UNCONFIRMED, PENDING_REVIEW) reviewers' policies see what the run would change.
  const docs = runDocuments(run, stack, await documentContext(core.db, stack), await storedRunChanges(core, run, stack));
  return { reviews: { current: shape("current"), older: shape("older") }, run: docs.run, stack: docs.stack };
}

/**
 * What the APPROVAL policies that apply to the stack say now: `reject` if any rejects, `approve`
 * if every one approves, else `undecided` (the run waits for more reviews); `none` when no
 * approval policy applies. Each evaluation leaves receipts.
 */
export async function approvalOutcome(core: Core, engine: PolicyEngine | undefined, run: RunsTable, stack: StacksTable): Promise<ApprovalOutcome> {
  const verdict = await evaluatePolicies(core, engine, run.id, stack, "APPROVAL", ["reject", "approve"], await approvalInput(core, run, stack));
  if (verdict.count === 0) return "none";
  if ((verdict.rules.reject ?? []).length > 0) return "reject";
  return verdict.perPolicy.every((p) => (p.said.approve ?? []).length > 0) ? "approve" : "undecided";
}

/**
 * Applies the approval policies to a run held in QUEUED: a rejection fails it (with the
 * receipt), an approval (or no approval policy any more) releases it to the scheduler, undecided
 * leaves it queued until a review makes them decide.
 */
async function settleQueued(engine: RunEngine, policyEngine: PolicyEngine | undefined, run: RunsTable, stack: StacksTable): Promise<ApprovalOutcome> {
  const outcome = await approvalOutcome(engine.core, policyEngine, run, stack);
  if (outcome === "undecided") return outcome;
  await engine.tx(async (trx, out) => {
    if (outcome === "reject") {
      await engine.move(trx, out, run.id, { kind: "reject" }, "policy", { note: "rejected by an approval policy while queued", set: { awaiting_approval: 0 } });
      return;
    }
    const res = await trx.updateTable("runs").set({ awaiting_approval: 0 }).where("id", "=", run.id).where("state", "=", "QUEUED").executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) await engine.promote(trx, out, run.stack_id);
  });
  return outcome;
}

/**
 * Applies the approval policies to a run they hold in QUEUED (see {@link settleQueued}) or that
 * waits in UNCONFIRMED or PENDING_REVIEW: a rejection discards it, an approval moves
 * PENDING_REVIEW on to UNCONFIRMED; undecided leaves it waiting.
 */
export async function settleApproval(engine: RunEngine, policyEngine: PolicyEngine | undefined, runId: string): Promise<ApprovalOutcome> {
  const { db } = engine.core;
  const run = await loadRun(db, runId);
  const held = run.state === "QUEUED" && run.awaiting_approval === 1;
  if (!held && run.state !== "UNCONFIRMED" && run.state !== "PENDING_REVIEW") return "none";
  const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirstOrThrow();
  if (held) return settleQueued(engine, policyEngine, run, stack);
  const outcome = await approvalOutcome(engine.core, policyEngine, run, stack);
  if (outcome === "reject") await engine.tx((trx, out) => engine.move(trx, out, runId, { kind: "reject" }, "policy", { note: "rejected by an approval policy" }));
  if (outcome === "approve" && run.state === "PENDING_REVIEW") await engine.tx((trx, out) => engine.move(trx, out, runId, { kind: "approve" }, "policy", { note: "approved by the approval policies" }));
  // Autodeploy held back only for approval (no warnings: the run never was PENDING_REVIEW) goes on.
  if (outcome === "approve" && run.state === "UNCONFIRMED" && stack.autodeploy === 1) {
    await engine.tx((trx, out) => engine.move(trx, out, runId, { kind: "confirm", by: "policy" }, "policy", { note: "approved by the approval policies: autodeploy" }));
  }
  return outcome;
}
