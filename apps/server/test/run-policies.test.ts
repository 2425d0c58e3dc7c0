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

const approvalPolicy = `package spacelift
import rego.v1
approve if count(input.reviews.current.approvals) >= 1
reject if count(input.reviews.current.rejections) > 0`;

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
    expect(detail.policyReceipts.filter((r) => r.type === "APPROVAL").map((r) => r.outcome)).toEqual(["undecided", "approve", "undecided"]);

    const quiet = await setup([{ type: "APPROVAL", body: approvalPolicy }]);
    const second = (await planWith(quiet.id, plan(["create"]))).run;
    expect((await t.admin.call("getRun", { params: { id: second.id } })).state).toBe("UNCONFIRMED");
    const refused = await t.admin.call("confirmRun", { params: { id: second.id } }).catch((e: Error) => e);
    expect((refused as Error).message).toContain("waits for approval");
    expect((await t.admin.call("reviewRun", { params: { id: second.id }, body: { decision: "reject" } })).state).toBe("DISCARDED");
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
