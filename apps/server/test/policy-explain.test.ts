/**
 * `GET /runs/{id}/policies/{policyId}/explain` (`gantry run explain-policy`), on both dialects:
 * OPA's trace of a policy over the input its receipt recorded (decrypted on the server, never
 * returned), with sanitized() hashing as when the run evaluated it; read on the stack's space.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const policy = `package spacelift
import rego.v1
deny contains "default password" if {
  some rc in input.terraform.resource_changes
  trace(sprintf("checking %s", [rc.address]))
  rc.change.after.password == sanitized("hunter2")
}
warn contains "no engine" if {
  some rc in input.terraform.resource_changes
  not rc.change.after.engine
}`;

const planJson = JSON.stringify({
  format_version: "1.2",
  resource_changes: [{ address: "aws_db_instance.db", type: "aws_db_instance", change: { actions: ["create"], after: { engine: "mysql", password: "hunter2" }, after_sensitive: { password: true } } }],
});

describe.each(dialects)("explaining a run's policy (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let runId = "";
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
    await t.admin.call("createSpace", { body: { id: "team", name: "team", parentSpaceId: "root" } });
    await t.admin.call("createPolicy", { body: { id: "db-rules", name: "db rules", type: "PLAN", body: policy, spaceId: "team", labels: ["autoattach:db"] } });
    const stack = await t.admin.call("createStack", { body: { name: "db", spaceId: "team", repository: "/srv/x.git", labels: ["db"] } });
    const run = await t.admin.call("createRun", { params: { id: stack.id }, body: {} });
    const job = await w.claimRun(run.id);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 0, deleted: 0 }, planJson }) });
    runId = run.id;
  });
  afterAll(() => t?.stop());

  it("traces the policy over the recorded, sanitized input in OPA's explain format", async () => {
    const full = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" } });
    expect(full).toMatchObject({ runId, policyId: "db-rules", policyName: "db rules", type: "PLAN", outcome: "deny", mode: "full" });
    const lines = full.trace.split("\n");
    expect(lines[0]).toMatch(/^query:1 +Enter data\.spacelift$/);
    expect(full.trace).toMatch(/db-rules\.rego:3 +\| Enter data\.spacelift\.deny\n/);
    // sanitized() hashes with the server's key, as when the run evaluated it: the deny holds.
    expect(full.trace).toMatch(/db-rules\.rego:6 +\| \| Eval rc\.change\.after\.password == sanitized\("hunter2"\)\ndb-rules\.rego:3 +\| \| Exit data\.spacelift\.deny/);
    expect(full.trace).toMatch(/db-rules\.rego:10 +\| \| Fail not rc\.change\.after\.engine/);
    expect(JSON.stringify(full)).not.toContain("hunter2\"}");

    const notes = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "notes" } });
    expect(notes.trace).toMatch(/^query:1 +Enter data\.spacelift\n.*Enter data\.spacelift\.deny\n.*\| \| Note "checking aws_db_instance\.db"\n$/);
    const fails = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "fails" } });
    expect(fails.trace).toContain("Fail not rc.change.after.engine");
    expect(fails.trace).not.toContain("Note");
    // debug: every event, Unify included (this policy has no unification, so the same steps).
    const debug = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "debug" } });
    expect(debug).toMatchObject({ mode: "debug", trace: full.trace });
  });

  it("needs read on the stack's space, a receipt of that policy, and a valid mode", async () => {
    const outsider = await userWithRole(t, "outsider", []);
    const forbidden = await failure(t.client(outsider.key).call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" } }));
    expect(["forbidden", "not_found"]).toContain(forbidden.code);
    const reader = await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }]);
    const ok = await t.client(reader.key).call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "fails" } });
    expect(ok.trace).toContain("Fail");
    const none = await failure(t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "other" } }));
    expect(none.code).toBe("not_found");
    expect(none.message).toContain(`run ${runId} has no receipt of policy "other"`);
    const bad = await t.raw("GET", `/api/v1/runs/${runId}/policies/db-rules/explain?mode=everything`, { token: t.adminKey });
    expect(bad.status).toBe(400);
  });
});
