/**
 * The read models behind the web UI, through the API on both dialects: a run's plan as a diff
 * with sensitive and write-only values withheld, the resources of a stack's state without their
 * values, and the policy editor's compile-and-test check.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, rawSql, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker } from "./worker-protocol.js";

const SECRET = "wo-secret-7f3a9c";

/** A `terraform show -json` plan: one of each action, a sensitive attribute and a write-only value in clear. */
const planJson = JSON.stringify({
  format_version: "1.2",
  resource_changes: [
    { address: "aws_s3_bucket.logs", type: "aws_s3_bucket", provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions: ["create"], before: null, after: { bucket: "logs", tags: { env: "prod" } }, after_unknown: { arn: true }, before_sensitive: false, after_sensitive: {} } },
    { address: "aws_db_instance.main", type: "aws_db_instance", provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions: ["update"], before: { size: "small", password: "old-password-1", name: "main" }, after: { size: "large", password: "new-password-2", name: "main" }, after_unknown: {}, before_sensitive: { password: true }, after_sensitive: { password: true } } },
    { address: "terraform_data.app", type: "terraform_data", provider_name: "terraform.io/builtin/terraform", action_reason: "replace_because_cannot_update",
      change: { actions: ["delete", "create"], before: { input: "hello" }, after: { input: SECRET }, after_unknown: { id: true }, before_sensitive: {}, after_sensitive: {}, replace_paths: [["input"]] } },
    { address: "aws_iam_user.old", type: "aws_iam_user", provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions: ["delete"], before: { name: "old" }, after: null, after_unknown: {}, before_sensitive: {}, after_sensitive: false } },
    { address: "aws_vpc.same", type: "aws_vpc", provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions: ["no-op"], before: { cidr: "10.0.0.0/16" }, after: { cidr: "10.0.0.0/16" } } },
  ],
  output_changes: {
    url: { actions: ["create"], before: null, after: "https://logs", after_unknown: false, before_sensitive: false, after_sensitive: false },
    token: { actions: ["create"], before: null, after: "tok-123456", after_unknown: false, before_sensitive: false, after_sensitive: true },
  },
});

const stateDoc = JSON.stringify({
  version: 4, serial: 7, lineage: "l1", outputs: {},
  resources: [
    { mode: "managed", type: "aws_s3_bucket", name: "logs", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ attributes: { bucket: "logs", secret_key: "state-secret-991" } }] },
    { module: "module.net", mode: "managed", type: "aws_subnet", name: "a", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ index_key: 0, attributes: {} }, { index_key: "b", attributes: {} }] },
    { mode: "data", type: "aws_region", name: "here", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ attributes: {} }] },
  ],
});

describe.each(dialects)("web UI read models (%s)", (dialect) => {
  let t: TestServer;
  let outsider: string;
  let reader: string;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
    await t.admin.call("createSpace", { body: { id: "other", name: "other" } });
    await t.admin.call("createStack", { body: { id: "app", name: "app", spaceId: "team", repository: "/srv/infra.git" } });
    await t.admin.call("putStackVariable", { params: { id: "app", name: "TF_VAR_input" }, body: { value: SECRET, writeOnly: true } });
    outsider = (await userWithRole(t, "outsider", [{ spaceId: "other", role: "admin" }])).key;
    reader = (await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }])).key;
  });
  afterAll(() => t?.stop());

  it("shows a run's plan as resource changes, withholding sensitive and write-only values", async () => {
    const run = await t.admin.call("createRun", { params: { id: "app" }, body: { type: "TRACKED" } });
    expect(await t.client(reader).call("getRunPlan", { params: { id: run.id } })).toMatchObject({ available: false, resources: [] });
    const w = await protocolWorker(t);
    const job = await w.claimRun(run.id);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 1, deleted: 1 }, planJson }) });
    expect(res.status, JSON.stringify(res.json)).toBe(200);

    const plan = await t.client(reader).call("getRunPlan", { params: { id: run.id } });
    expect(plan.available).toBe(true);
    expect(plan.summary).toEqual({ create: 1, update: 1, replace: 1, delete: 1 });
    expect(plan.resources.map((r) => [r.address, r.action])).toEqual([
      ["aws_s3_bucket.logs", "create"], ["aws_db_instance.main", "update"], ["terraform_data.app", "replace"], ["aws_iam_user.old", "delete"],
    ]);
    const db = plan.resources[1]!;
    expect(db.attributes).toEqual([
      { name: "password", before: null, after: null, sensitive: true, unknownAfter: false },
      { name: "size", before: "small", after: "large", sensitive: false, unknownAfter: false },
    ]);
    const app = plan.resources[2]!;
    expect(app).toMatchObject({ actionReason: "replace_because_cannot_update", replacePaths: ["input"] });
    expect(app.attributes.find((a) => a.name === "input")).toEqual({ name: "input", before: null, after: null, sensitive: true, unknownAfter: false });
    expect(plan.resources[0]!.attributes.find((a) => a.name === "arn")).toMatchObject({ unknownAfter: true, after: null });
    expect(plan.outputs).toEqual([
      { name: "url", action: "create", before: null, after: "https://logs", sensitive: false, unknownAfter: false },
      { name: "token", action: "create", before: null, after: null, sensitive: true, unknownAfter: false },
    ]);
    const text = JSON.stringify(plan);
    for (const secret of [SECRET, "old-password-1", "new-password-2", "tok-123456"]) expect(text).not.toContain(secret);

    const refused = await failure(t.client(outsider).call("getRunPlan", { params: { id: run.id } }));
    expect(refused.status).toBe(403);
    expect((await failure(t.admin.call("getRunPlan", { params: { id: "01NOSUCHRUN" } }))).status).toBe(404);
  });

  it("lists the resources of a stack's latest state by address, without attribute values", async () => {
    await t.admin.call("createStack", { body: { id: "stateful", name: "stateful", spaceId: "team", repository: "/srv/infra.git" } });
    expect(await t.client(reader).call("stackResources", { params: { id: "stateful" } })).toEqual({ managed: true, serial: null, runId: null, createdAt: null, resources: [] });
    const put = await fetch(`${t.url}/state/stateful`, { method: "POST", headers: { authorization: `Basic ${Buffer.from(`x:${t.adminKey}`).toString("base64")}` }, body: stateDoc });
    expect(put.status).toBeLessThan(300);
    const got = await t.client(reader).call("stackResources", { params: { id: "stateful" } });
    expect(got).toMatchObject({ managed: true, serial: 7 });
    expect(got.resources).toEqual([
      { address: "aws_s3_bucket.logs", mode: "managed", type: "aws_s3_bucket", providerName: "registry.terraform.io/hashicorp/aws", module: null },
      { address: "module.net.aws_subnet.a[0]", mode: "managed", type: "aws_subnet", providerName: "registry.terraform.io/hashicorp/aws", module: "module.net" },
      { address: 'module.net.aws_subnet.a["b"]', mode: "managed", type: "aws_subnet", providerName: "registry.terraform.io/hashicorp/aws", module: "module.net" },
      { address: "data.aws_region.here", mode: "data", type: "aws_region", providerName: "registry.terraform.io/hashicorp/aws", module: null },
    ]);
    expect(JSON.stringify(got)).not.toContain("state-secret-991");
    expect((await failure(t.client(outsider).call("stackResources", { params: { id: "stateful" } }))).status).toBe(403);
    await t.admin.call("createStack", { body: { id: "own-backend", name: "own-backend", spaceId: "team", repository: "/srv/infra.git", manageState: false } });
    expect(await t.admin.call("stackResources", { params: { id: "own-backend" } })).toMatchObject({ managed: false, resources: [] });
  });

  it("checks a policy body as it is typed: errors at their line, then its tests", async () => {
    const broken = await t.client(reader).call("checkPolicy", { body: { type: "PLAN", body: "package spacelift\nimport rego.v1\n\ndeny contains msg if {\n  msg := nope(1)\n}\n" } });
    expect(broken.tests).toBeNull();
    expect(broken.errors[0]).toMatchObject({ file: "policy", row: 5 });
    expect(broken.errors[0]!.code).toMatch(/^rego_/);

    const body = 'package spacelift\nimport rego.v1\ndeny contains "too many" if count(input.terraform.resource_changes) > 1\n';
    const tests = 'package spacelift_test\nimport rego.v1\nimport data.spacelift\ntest_denies if { spacelift.deny["too many"] with input as {"terraform": {"resource_changes": [1, 2]}} }\ntest_wrong if { count(spacelift.deny) == 1 with input as {"terraform": {"resource_changes": []}} }\n';
    const checked = await t.client(reader).call("checkPolicy", { body: { type: "PLAN", body, tests } });
    expect(checked.errors).toEqual([]);
    expect(checked.tests?.map((r) => [r.name, r.outcome])).toEqual([["data.spacelift_test.test_denies", "pass"], ["data.spacelift_test.test_wrong", "fail"]]);

    const badTests = await t.admin.call("checkPolicy", { body: { type: "PLAN", body, tests: "package t\nimport rego.v1\ntest_x if {\n  nope(1)\n}\n" } });
    expect(badTests.errors[0]).toMatchObject({ file: "tests", row: 4 });
    const invalid = await failure(t.admin.call("checkPolicy", { body: { type: "NOPE", body } as never }));
    expect(invalid.status).toBe(422);
    expect(invalid.message).toContain("type");
  });

  it("filters the stacks list by drift", async () => {
    await t.admin.call("createStack", { body: { id: "drifty", name: "drifty", spaceId: "team", repository: "/srv/infra.git" } });
    await rawSql(t, `update stacks set drift_detected_at = '2026-01-01T00:00:00.000Z', drift_resources = '["aws_s3_bucket.logs"]', drift_run_id = 'r1' where id = 'drifty'`);
    const drifted = await t.client(reader).call("listStacks", { query: { drifted: "true" } });
    expect(drifted.items.map((s) => s.id)).toEqual(["drifty"]);
    expect(drifted.items[0]!.drift?.resources).toEqual(["aws_s3_bucket.logs"]);
    const rest = await t.client(reader).call("listStacks", { query: { drifted: "false" } });
    expect(rest.items.map((s) => s.id)).not.toContain("drifty");
    expect(rest.items.length).toBeGreaterThan(0);
    const bad = await failure(t.admin.call("listStacks", { query: { drifted: "maybe" as never } }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.details)).toContain("drifted");
  });
});
