/**
 * The seed blog's prod-requires-approval policy under Spacelift's approval semantics (a `reject`
 * wins over every approval), next to the idiom docs/policies.md gives for what the blog wanted
 * (a person approves prod applies), each with the blog's management-stack exclusion. Both
 * dialects, through the API, with a worker speaking the protocol.
 */
import type { RunState } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { planToUnconfirmed, protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

/** As published, with the exclusion the blog added after "The Approval Policy Loop". */
const blogPolicy = `package spacelift
reject[msg] {
  input.run.type == "TRACKED"
  is_production
  not is_admin_stack
  msg := "Production stacks require manual approval before apply."
}
approve {
  count(input.reviews.current.approvals) > 0
}
is_production {
  input.stack.labels[_] == "env:prod"
}
is_admin_stack {
  input.stack.administrative == true
}`;

/** docs/policies.md's idiom, with the management stack released. */
const idiom = `package spacelift
import rego.v1
is_production if {
  "env:prod" in input.stack.labels
  not input.stack.administrative
}
approve if not is_production
approve if input.run.state == "QUEUED"
approve if count(input.reviews.current.approvals) > 0
reject if count(input.reviews.current.rejections) > 0`;

describe.each(dialects)("the blog's prod approval policy (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let reviewer: string;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
    reviewer = (await userWithRole(t, "reviewer", [{ spaceId: "root", role: "write" }])).key;
    await t.admin.call("createPolicy", { body: { id: "blog-approval", name: "prod-requires-approval", type: "APPROVAL", body: blogPolicy, regoVersion: "V0", labels: ["autoattach:blog"] } });
    await t.admin.call("createPolicy", { body: { id: "idiom-approval", name: "prod approval idiom", type: "APPROVAL", body: idiom, labels: ["autoattach:idiom"] } });
    for (const p of ["blog", "idiom"]) {
      await t.admin.call("createStack", { body: { id: `${p}-prod`, name: `${p}-prod`, repository: "/srv/x.git", labels: [p, "env:prod"], autodeploy: true } });
      // The management stack carries env:prod too (it manages prod), as the blog's did by reach.
      await t.admin.call("createStack", { body: { id: `${p}-mgmt`, name: `${p}-mgmt`, repository: "/srv/x.git", labels: [p, "env:prod"], administrative: true, autodeploy: true } });
    }
  });
  afterAll(() => t?.stop());

  async function until(runId: string, pred: (s: RunState) => boolean) {
    for (let i = 0; i < 100; i++) {
      const r = await t.admin.call("getRun", { params: { id: runId } });
      if (pred(r.state)) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    return t.admin.call("getRun", { params: { id: runId } });
  }

  it("as published, rejects every tracked prod run as soon as it is queued: no review can ever approve it", async () => {
    const run = await t.admin.call("createRun", { params: { id: "blog-prod" }, body: {} });
    const failed = await until(run.id, (s) => s === "FAILED");
    expect(failed.state).toBe("FAILED");
    expect(failed.approvals).toEqual([expect.objectContaining({ policyId: "blog-approval", outcome: "reject", messages: expect.objectContaining({ reject: ["Production stacks require manual approval before apply."] }) })]);
    expect(failed.history.at(-1)?.note).toContain("rejected by an approval policy");
  });

  it("with not is_admin_stack, stops rejecting the management stack, which then waits for a review", async () => {
    const run = await t.admin.call("createRun", { params: { id: "blog-mgmt" }, body: {} });
    const held = await until(run.id, () => true);
    expect(held.state).toBe("QUEUED");
    expect(held.approvals).toEqual([expect.objectContaining({ policyId: "blog-approval", outcome: "undecided" })]);
    expect(held.waiting?.reason).toContain("held in QUEUED by approval policies");
    await t.client(reviewer).call("reviewRun", { params: { id: run.id }, body: { decision: "approve" } });
    expect((await until(run.id, (s) => s !== "QUEUED")).state).not.toBe("QUEUED");
    expect((await t.admin.call("getRun", { params: { id: run.id } })).reviews).toEqual([expect.objectContaining({ author: "reviewer", decision: "approve", state: "QUEUED" })]);
  });

  it("the idiom: a prod apply waits for a person's approval; a rejection discards it", async () => {
    const approved = await t.admin.call("createRun", { params: { id: "idiom-prod" }, body: {} });
    await planToUnconfirmed(w, approved.id);
    const waiting = await until(approved.id, (s) => s === "UNCONFIRMED");
    expect(waiting.state).toBe("UNCONFIRMED");
    expect(waiting.waiting?.reason).toContain("approval policies must approve first: idiom-approval (undecided)");
    await t.client(reviewer).call("reviewRun", { params: { id: approved.id }, body: { decision: "approve" } });
    // Autodeploy goes on once approved.
    expect((await until(approved.id, (s) => s !== "UNCONFIRMED")).state).toBe("CONFIRMED");

    // Another prod stack: a rejection discards the run, whatever approvals may follow.
    await t.admin.call("createStack", { body: { id: "idiom-prod2", name: "idiom-prod2", repository: "/srv/x.git", labels: ["idiom", "env:prod"], autodeploy: true } });
    const second = await t.admin.call("createRun", { params: { id: "idiom-prod2" }, body: {} });
    await planToUnconfirmed(w, second.id);
    await t.admin.call("reviewRun", { params: { id: second.id }, body: { decision: "reject" } });
    const after = await until(second.id, (s) => s === "DISCARDED");
    expect(after.state).toBe("DISCARDED");
    expect(after.approvals).toEqual([expect.objectContaining({ policyId: "idiom-approval", outcome: "reject" })]);
    expect(after.reviews.map((r) => `${r.state}:${r.decision}`)).toEqual(["UNCONFIRMED:reject"]);
  });

  it("the idiom releases the management stack without a review", async () => {
    const run = await t.admin.call("createRun", { params: { id: "idiom-mgmt" }, body: {} });
    expect((await until(run.id, (s) => s !== "QUEUED")).state).not.toBe("QUEUED");
    await planToUnconfirmed(w, run.id);
    expect((await until(run.id, (s) => s !== "UNCONFIRMED" && s !== "PLANNING")).state).toMatch(/CONFIRMED|APPLYING/);
  });
});
