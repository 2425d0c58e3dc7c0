/**
 * `GET /runs/{id}/policies/{policyId}/explain` (`gantry run explain-policy`), on both dialects:
 * OPA's trace of a policy over the input its receipt recorded (decrypted on the server, never
 * returned), with sanitized() hashing as when the run evaluated it; read on the stack's space.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";
import { openStore } from "../src/db/connect.js";

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

  it("traces the body that decided after the policy is edited, and says so when that body was not kept", async () => {
    const before = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "notes" } });
    expect(before.decidingVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(before.tracedVersion).toBe(before.decidingVersion);
    // The edit drops the trace() call: a trace of the new body would have no note.
    const edited = policy.replace(/ *trace\(.*\)\n/, "");
    expect(edited).not.toContain("trace(");
    await t.admin.call("updatePolicy", { params: { id: "db-rules" }, body: { body: edited } });
    const after = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "notes" } });
    expect(after).toMatchObject({ decidingVersion: before.decidingVersion, tracedVersion: before.decidingVersion, trace: before.trace });
    expect(after.trace).toContain('Note "checking aws_db_instance.db"');
    // Asked for the policy as it is now: the edited body, named by its own version.
    const now = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "notes", body: "current" } });
    expect(now).toMatchObject({ body: "current", decidingVersion: before.decidingVersion });
    expect(now.tracedVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(now.tracedVersion).not.toBe(before.decidingVersion);
    expect(now.trace).not.toContain("Note");

    // A receipt whose body Gantry never kept (made before migration 0104): the current body, named as such.
    const store = openStore(t.databaseUrl);
    try {
      await store.db.deleteFrom("policy_bodies").where("policy_id", "=", "db-rules").where("version", "=", before.decidingVersion!).execute();
    } finally {
      await store.close();
    }
    const current = await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "db-rules" }, query: { mode: "notes" } });
    expect(current).toMatchObject({ body: "decided", decidingVersion: before.decidingVersion, tracedVersion: now.tracedVersion });
    expect(current.trace).not.toContain("Note");
  });
});
