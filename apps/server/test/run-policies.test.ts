/**
 * PLAN and INITIALIZATION policies in runs, with Gantry's Rego engine, on both dialects: deny
 * fails the run with the messages, warn stops autodeploy, every evaluation leaves a receipt.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const planPolicy = `package spacelift
import rego.v1
deny contains sprintf("do not delete %s", [rc.address]) if {
  some rc in input.terraform.resource_changes
  "delete" in rc.change.actions
}
warn contains sprintf("%d changes on %s", [count(input.terraform.resource_changes), input.spacelift.stack.id]) if {
  count(input.terraform.resource_changes) > 0
}`;

/** Reviews decide, except in QUEUED, which it lets through (Spacelift's usual idiom). */
const approvalPolicy = `package spacelift
import rego.v1
approve if input.run.state == "QUEUED"
approve if count(input.reviews.current.approvals) >= 1
reject if count(input.reviews.current.rejections) > 0`;

/** Reviews decide in every state, QUEUED included. */
const queuedApprovalPolicy = `package spacelift
import rego.v1
approve if count(input.reviews.current.approvals) >= 1
reject if count(input.reviews.current.rejections) > 0
reject if input.run.type == "DESTROY"`;

const plan = (actions: string[]) => JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "terraform_data.x", change: { actions } }] });

describe.each(dialects)("run policies (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let n = 0;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  /** A stack with its own label, and policies auto-attached to that label only. */
  async function setup(policies: { type: "PLAN" | "APPROVAL" | "INITIALIZATION"; body: string }[]) {
    const label = `pol${++n}`;
    for (const [i, p] of policies.entries()) await t.admin.call("createPolicy", { body: { id: `${label}-${i}`, name: `${label}-${i}`, type: p.type, body: p.body, labels: [`autoattach:${label}`] } });
    return t.admin.call("createStack", { body: { name: `${label}-stack`, repository: "/srv/x.git", labels: [label], autodeploy: true } });
  }

  async function planWith(stackId: string, planJson: string) {
    const run = await t.admin.call("createRun", { params: { id: stackId }, body: {} });
    const job = await w.claimRun(run.id);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 0, deleted: 1 }, planJson }) });
    return { run, decision: res.json as { next: string; reason: string | null } };
  }

  it("fails the run on a deny, with the messages and a receipt holding the outcome", async () => {
    const s = await setup([{ type: "PLAN", body: planPolicy }]);
    const { run, decision } = await planWith(s.id, plan(["delete"]));
    expect(decision.next).toBe("FAILED");
    expect(decision.reason).toContain("do not delete terraform_data.x");
    const detail = await t.admin.call("getRun", { params: { id: run.id } });
    expect(detail.failureReason).toContain("do not delete terraform_data.x");
    expect(detail.policyReceipts).toEqual([expect.objectContaining({ type: "PLAN", outcome: "deny", messages: { deny: ["do not delete terraform_data.x"], warn: [`1 changes on ${s.id}`] } })]);
  });

  it("stops autodeploy on a warning, and sends the run to review when approval policies apply", async () => {
    const s = await setup([{ type: "PLAN", body: planPolicy }]);
    const { decision } = await planWith(s.id, plan(["create"]));
    expect(decision.next).toBe("UNCONFIRMED");
    const reviewed = await setup([{ type: "PLAN", body: planPolicy }, { type: "APPROVAL", body: approvalPolicy }]);
    expect((await planWith(reviewed.id, plan(["create"]))).decision.next).toBe("PENDING_REVIEW");
    const quiet = await setup([]);
    expect((await planWith(quiet.id, plan(["create"]))).decision.next).toBe("APPLYING");
  });

  it("waits for reviews when approval policies apply: approve moves it on, reject discards it", async () => {
    const warned = await setup([{ type: "PLAN", body: planPolicy }, { type: "APPROVAL", body: approvalPolicy }]);
    const { run } = await planWith(warned.id, plan(["create"]));
    expect((await t.admin.call("getRun", { params: { id: run.id } })).state).toBe("PENDING_REVIEW");
    expect((await t.admin.call("reviewRun", { params: { id: run.id }, body: { decision: "approve", note: "looks fine" } })).state).toBe("UNCONFIRMED");
    expect((await t.admin.call("confirmRun", { params: { id: run.id } })).state).toBe("CONFIRMED");
    const detail = await t.admin.call("getRun", { params: { id: run.id } });
    expect(detail.policyReceipts.filter((r) => r.type === "APPROVAL").map((r) => r.outcome)).toEqual(["approve", "undecided", "approve", "undecided"]);

    const quiet = await setup([{ type: "APPROVAL", body: approvalPolicy }]);
    const second = (await planWith(quiet.id, plan(["create"]))).run;
    expect((await t.admin.call("getRun", { params: { id: second.id } })).state).toBe("UNCONFIRMED");
    const refused = await t.admin.call("confirmRun", { params: { id: second.id } }).catch((e: Error) => e);
    expect((refused as Error).message).toContain("waits for approval");
    expect((await t.admin.call("reviewRun", { params: { id: second.id }, body: { decision: "reject" } })).state).toBe("DISCARDED");
  });

  it("gives plan policies Spacelift's documents: previous_run, commit, request, the stack's space", async () => {
    const s = await setup([{ type: "PLAN", body: `package spacelift
import rego.v1
warn contains sprintf("after %s", [input.spacelift.previous_run.id]) if input.spacelift.previous_run != null
warn contains sprintf("in space %s on %s", [input.spacelift.stack.space.name, input.spacelift.commit.branch]) if input.spacelift.request.timestamp_ns > 0` }]);
    const first = await planWith(s.id, plan(["create"]));
    const root = await t.admin.call("getSpace", { params: { id: "root" } });
    expect(first.decision.reason).toContain(`in space ${root.name} on main`);
    expect(first.decision.reason).not.toContain("after");
    await t.admin.call("discardRun", { params: { id: first.run.id } });
    const second = await planWith(s.id, plan(["create"]));
    expect(second.decision.reason).toContain(`after ${first.run.id}`);
  });

  it("holds a run in QUEUED while approval policies are undecided; a review approves or rejects it there", async () => {
    const s = await setup([{ type: "APPROVAL", body: queuedApprovalPolicy }]);
    const first = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const second = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    expect(first.state).toBe("QUEUED");
    // Neither is claimable: the first waits for a review, the second waits behind it (FIFO).
    expect(await w.claim(0)).toBeNull();
    const held = await t.admin.call("getRun", { params: { id: first.id } });
    expect(held.state).toBe("QUEUED");
    expect(held.policyReceipts).toEqual([expect.objectContaining({ type: "APPROVAL", outcome: "undecided" })]);
    expect((await t.admin.call("reviewRun", { params: { id: first.id }, body: { decision: "approve" } })).state).toBe("READY");
    expect((await t.admin.call("getRun", { params: { id: second.id } })).state).toBe("QUEUED");
    const job = await w.claimRun(first.id);
    await w.report(job, "FAILED", { note: "done with it" });
    // The first run's end lets the queue move, but the second still waits for its own review.
    expect(await w.claim(0)).toBeNull();
    expect((await t.admin.call("reviewRun", { params: { id: second.id }, body: { decision: "reject" } })).state).toBe("FAILED");
    const rejected = await t.admin.call("getRun", { params: { id: second.id } });
    expect(rejected.failureReason).toContain("rejected by an approval policy");
    expect(rejected.history.at(-1)).toMatchObject({ from: "QUEUED", to: "FAILED", cause: "policy" });
    expect(rejected.policyReceipts.map((r) => r.outcome)).toEqual(["undecided", "reject"]);
    // A policy that rejects outright fails the run as it is queued, with the receipt.
    const destroy = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "DESTROY" } });
    const failed = await t.admin.call("getRun", { params: { id: destroy.id } });
    expect(failed.state).toBe("FAILED");
    expect(failed.policyReceipts).toEqual([expect.objectContaining({ type: "APPROVAL", outcome: "reject" })]);
    // Runs of a stack without approval policies are not held.
    const plain = await setup([]);
    const free = await t.admin.call("createRun", { params: { id: plain.id }, body: {} });
    expect(free.state).toBe("READY");
    await t.admin.call("cancelRun", { params: { id: free.id } });
  });

  it("denies a run before it starts with an INITIALIZATION policy, and fails a broken policy closed", async () => {
    const s = await setup([{ type: "INITIALIZATION", body: 'package spacelift\nimport rego.v1\ndeny contains "no tracked runs on fridays" if input.spacelift.run.type == "TRACKED"' }]);
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    expect(await w.claim(0)).toBeNull();
    const detail = await t.admin.call("getRun", { params: { id: run.id } });
    expect(detail.state).toBe("FAILED");
    expect(detail.failureReason).toContain("no tracked runs on fridays");
    expect(detail.history.at(-1)?.cause).toBe("policy");
    // Compiles, but two complete definitions disagree at evaluation time (eval_conflict_error).
    const broken = await setup([{ type: "PLAN", body: "package spacelift\nimport rego.v1\nlimit := 1 if true\nlimit := 2 if true\ndeny contains \"over\" if limit > 5" }]);
    const { decision } = await planWith(broken.id, plan(["create"]));
    expect(decision.next).toBe("FAILED");
    expect(decision.reason).toContain("failed to evaluate");
  });
});
