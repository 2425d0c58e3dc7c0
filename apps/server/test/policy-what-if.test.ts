/**
 * Policies tested before they take effect, and their what-if, through the API on both dialects:
 * saving runs a policy's tests and refuses the change naming the failing test; receipts name
 * the policy version that decided; `simulate` replays a changed body on recorded plan inputs,
 * skipping (and counting) stacks the caller cannot read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const noDeletes = `package spacelift
import rego.v1
deny contains sprintf("do not delete %s", [rc.address]) if {
  some rc in input.terraform.resource_changes
  "delete" in rc.change.actions
}`;

/** The tried change: creations of buckets are denied too. */
const noDeletesNoBuckets = `${noDeletes}
deny contains sprintf("no new buckets: %s", [rc.address]) if {
  some rc in input.terraform.resource_changes
  "create" in rc.change.actions
  rc.type == "aws_s3_bucket"
}`;

const tests = `package spacelift
import rego.v1
test_denies_a_delete if {
  deny["do not delete a.b"] with input as {"terraform": {"resource_changes": [{"address": "a.b", "change": {"actions": ["delete"]}}]}}
}
test_allows_a_create if {
  count(deny) == 0 with input as {"terraform": {"resource_changes": [{"address": "a.b", "type": "aws_s3_bucket", "change": {"actions": ["create"]}}]}}
}`;

const plan = (type: string, actions: string[]) => JSON.stringify({ format_version: "1.2", resource_changes: [{ address: `${type}.x`, type, change: { actions } }] });

describe.each(dialects)("policy tests and what-if (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  async function planWith(stackId: string, planJson: string): Promise<string> {
    const run = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "PROPOSED" } });
    const job = await w.claimRun(run.id);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 0, deleted: 0 }, planJson }) });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return run.id;
  }

  it("saves a policy whose tests pass and refuses a change that breaks one, naming the test", async () => {
    const p = await t.admin.call("createPolicy", { body: { id: "tested", name: "tested", type: "PLAN", body: noDeletes, tests } });
    expect(p.tests).toBe(tests);
    expect(p.version).toMatch(/^[0-9a-f]{16}$/);
    // The tried body denies bucket creations: test_allows_a_create fails, so nothing changes.
    const err = await failure(t.admin.call("updatePolicy", { params: { id: "tested" }, body: { body: noDeletesNoBuckets } }));
    expect(err.status).toBe(422);
    expect(err.message).toContain("data.spacelift.test_allows_a_create");
    expect(err.details).toEqual({ issues: [{ path: ["tests"], message: expect.stringContaining("test_allows_a_create") }] });
    expect((await t.admin.call("getPolicy", { params: { id: "tested" } })).body).toBe(noDeletes);
    // Failing tests refuse a new policy too, and tests that test nothing are not tests.
    const failing = await failure(t.admin.call("createPolicy", { body: { id: "broken", name: "broken", type: "PLAN", body: noDeletesNoBuckets, tests } }));
    expect(failing.message).toContain("test_allows_a_create");
    await expect(t.admin.call("getPolicy", { params: { id: "broken" } })).rejects.toThrow(/does not exist/);
    const empty = await failure(t.admin.call("updatePolicy", { params: { id: "tested" }, body: { tests: "package spacelift\nx := 1" } }));
    expect(empty.message).toContain("holds no test_ rule");
    const uncompilable = await failure(t.admin.call("updatePolicy", { params: { id: "tested" }, body: { tests: "package spacelift\ntest_x if {" } }));
    expect(uncompilable.message).toContain("does not compile");
  });

  it("names the policy version that decided on every receipt", async () => {
    await t.admin.call("createPolicy", { body: { id: "versioned", name: "versioned", type: "PLAN", body: noDeletes, labels: ["autoattach:versioned"] } });
    await t.admin.call("createStack", { body: { id: "v-stack", name: "v-stack", repository: "/srv/x.git", labels: ["versioned"] } });
    const first = await planWith("v-stack", plan("aws_s3_bucket", ["create"]));
    const v1 = (await t.admin.call("getPolicy", { params: { id: "versioned" } })).version;
    const v2 = (await t.admin.call("updatePolicy", { params: { id: "versioned" }, body: { body: `${noDeletes}\n# edited` } })).version;
    expect(v2).not.toBe(v1);
    const second = await planWith("v-stack", plan("aws_s3_bucket", ["create"]));
    const receipt = async (runId: string) => (await t.admin.call("getRun", { params: { id: runId } })).policyReceipts.find((r) => r.policyId === "versioned");
    expect((await receipt(first))?.policyVersion).toBe(v1);
    expect((await receipt(second))?.policyVersion).toBe(v2);
  });

  it("replays a changed body on recorded plan inputs, per run, and skips stacks the caller cannot read", async () => {
    await t.admin.call("createPolicy", { body: { id: "guard", name: "guard", type: "PLAN", body: noDeletes, labels: ["autoattach:guarded"] } });
    await t.admin.call("createStack", { body: { id: "g-web", name: "g-web", repository: "/srv/x.git", labels: ["guarded"] } });
    await t.admin.call("createStack", { body: { id: "g-data", name: "g-data", repository: "/srv/x.git", labels: ["guarded"] } });
    await t.admin.call("createStack", { body: { id: "g-secret", name: "g-secret", repository: "/srv/x.git", labels: ["guarded", "secret"] } });
    const bucket = await planWith("g-web", plan("aws_s3_bucket", ["create"]));
    await planWith("g-web", plan("aws_instance", ["create"]));
    const dataBucket = await planWith("g-data", plan("aws_s3_bucket", ["create"]));
    const deletion = await planWith("g-data", plan("aws_instance", ["delete"]));
    await planWith("g-secret", plan("aws_s3_bucket", ["create"]));

    const sim = await t.admin.call("simulatePolicy", { params: { id: "guard" }, body: { body: noDeletesNoBuckets } });
    expect(sim.results).toHaveLength(5);
    const byRun = Object.fromEntries(sim.results.map((r) => [r.runId, r]));
    expect(byRun[bucket]).toMatchObject({ stackId: "g-web", oldOutcome: "allow", newOutcome: "deny", appeared: ["deny: no new buckets: aws_s3_bucket.x"], disappeared: [] });
    expect(byRun[dataBucket]).toMatchObject({ oldOutcome: "allow", newOutcome: "deny" });
    expect(byRun[deletion]).toMatchObject({ oldOutcome: "deny", newOutcome: "deny", appeared: [], disappeared: [] });
    expect(sim.summary).toMatchObject({ inputs: 5, stacks: 3, changed: 3, newlyDenied: { inputs: 3, stacks: 3 }, newlyAllowed: { inputs: 0, stacks: 0 } });
    expect(sim.summary.text).toContain("would newly deny 3 runs of 3 stacks");
    expect(sim.newVersion).not.toBe(sim.oldVersion);
    expect(sim.skipped).toEqual({ stacks: 0, inputs: 0 });
    // --last 1: the newest input per stack only.
    const last = await t.admin.call("simulatePolicy", { params: { id: "guard" }, body: { body: noDeletesNoBuckets, last: 1 } });
    expect(last.results).toHaveLength(3);
    expect(last.results.find((r) => r.stackId === "g-data")?.runId).toBe(deletion);

    // A reader whom an ACCESS policy keeps out of the secret stack: its input is skipped and counted.
    await t.admin.call("createPolicy", { body: { id: "hide-secret", name: "hide-secret", type: "ACCESS", body: 'package spacelift\nimport rego.v1\ndeny contains "secret stack" if "secret" in input.stack.labels', labels: ["autoattach:*"] } });
    const reader = await userWithRole(t, "sim-reader", [{ spaceId: "root", role: "read" }]);
    const seen = await t.client(reader.key).call("simulatePolicy", { params: { id: "guard" }, body: { body: noDeletesNoBuckets } });
    expect(seen.results.map((r) => r.stackId)).not.toContain("g-secret");
    expect(seen.skipped).toEqual({ stacks: 1, inputs: 1 });
    await t.admin.call("deletePolicy", { params: { id: "hide-secret" } });
  });

  it("shows a proposed admin-stack run's policy body change: its tests and what-if, in the run log", async () => {
    // "guard" (above) has recorded inputs on three stacks; the admin stack manages it with Terraform.
    const admin = await t.admin.call("createStack", { body: { id: "management", name: "management", repository: "/srv/x.git", administrative: true } });
    const run = await t.admin.call("createRun", { params: { id: admin.id }, body: { type: "PROPOSED" } });
    const job = await w.claimRun(run.id);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    const saved = await t.admin.call("getPolicy", { params: { id: "guard" } });
    const values = { id: "guard", slug: "guard", name: "guard", type: "PLAN", body: saved.body, tests: "", rego_version: "V1", space_id: "root", labels: ["autoattach:guarded"] };
    const planJson = JSON.stringify({ format_version: "1.2", resource_changes: [
      { address: "gantry_policy.guard", mode: "managed", type: "gantry_policy", change: { actions: ["update"], before: values, after: { ...values, body: noDeletesNoBuckets, tests } } },
      { address: "gantry_policy.fresh", mode: "managed", type: "gantry_policy", change: { actions: ["create"], before: null, after: { ...values, id: null, slug: "fresh", body: noDeletes } } },
      { address: "gantry_stack.x", mode: "managed", type: "gantry_stack", change: { actions: ["update"], before: { id: "x" }, after: { id: "x" } } },
    ] });
    const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 1, deleted: 0 }, planJson }) });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const logs = await t.admin.call("runLogs", { params: { id: run.id }, query: {} });
    const whatIf = logs.entries.filter((e) => e.phase === "policy what-if").map((e) => e.text).join("");
    // The tried body breaks test_allows_a_create: applying would be refused, and the log says so before the merge.
    expect(whatIf).toContain("gantry_policy.guard (policy guard): tests 1/2 passed; FAILED: data.spacelift.test_allows_a_create");
    expect(whatIf).toMatch(/gantry_policy\.guard \(policy guard\): what-if against recorded inputs: would newly deny \d+ runs? of 3 stacks/);
    expect(whatIf).toContain("gantry_policy.fresh (policy fresh): no tests");
    expect(whatIf).toContain("new policy: no recorded inputs");
    expect(whatIf).not.toContain("gantry_stack");
  });

  it("refuses what it cannot simulate, with the reason", async () => {
    const bad = await failure(t.admin.call("simulatePolicy", { params: { id: "guard" }, body: { body: "package spacelift\ndeny[msg] {" } }));
    expect(bad.status).toBe(422);
    expect(bad.details).toEqual({ issues: [expect.objectContaining({ path: ["body"] })] });
    await t.admin.call("createPolicy", { body: { id: "who", name: "who", type: "ACCESS", body: "package spacelift" } });
    const access = await failure(t.admin.call("simulatePolicy", { params: { id: "who" }, body: {} }));
    expect(access.status).toBe(501);
    expect(access.message).toContain("simulating ACCESS policies is not supported yet");
    const outsider = await userWithRole(t, "sim-outsider", []);
    expect((await failure(t.client(outsider.key).call("simulatePolicy", { params: { id: "guard" }, body: {} }))).status).toBe(403);
  });
});
