/**
 * Spacelift's resource sanitization in PLAN policies, on both dialects: the stack's
 * `smartSanitization` decides which values policies (and their receipts) see hashed, and
 * `sanitized()` hashes the same way; other policy types cannot call it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const policy = `package spacelift
import rego.v1
deny contains "default password" if {
  some rc in input.terraform.resource_changes
  rc.change.after.password == sanitized("hunter2")
}
warn contains sprintf("engine %s", [rc.change.after.engine]) if {
  some rc in input.terraform.resource_changes
}
warn contains "password visible" if {
  some rc in input.terraform.resource_changes
  rc.change.after.password == "hunter2"
}`;

const planJson = JSON.stringify({
  format_version: "1.2",
  resource_changes: [{ address: "aws_db_instance.db", type: "aws_db_instance", change: { actions: ["create"], after: { engine: "mysql", password: "hunter2" }, after_sensitive: { password: true } } }],
});

describe.each(dialects)("plan sanitization (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
    await t.admin.call("createPolicy", { body: { id: "sanitizing", name: "sanitizing", type: "PLAN", body: policy, labels: ["autoattach:sanitize"] } });
  });
  afterAll(() => t?.stop());

  async function planOn(smartSanitization: boolean | undefined) {
    const stack = await t.admin.call("createStack", { body: { name: `s-${String(smartSanitization)}`, repository: "/srv/x.git", labels: ["sanitize"], ...(smartSanitization === undefined ? {} : { smartSanitization }) } });
    const run = await t.admin.call("createRun", { params: { id: stack.id }, body: {} });
    const job = await w.claimRun(run.id);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 0, deleted: 0 }, planJson }) });
    return { stack, detail: await t.admin.call("getRun", { params: { id: run.id } }) };
  }

  it("hashes only sensitive values by default, every string with smartSanitization off; sanitized() matches both", async () => {
    const smart = await planOn(undefined);
    expect(smart.stack.smartSanitization).toBe(true);
    expect(smart.detail.policyReceipts[0]?.messages).toEqual({ deny: ["default password"], warn: ["engine mysql"] });
    const all = await planOn(false);
    expect(all.stack.smartSanitization).toBe(false);
    const said = all.detail.policyReceipts[0]?.messages as { deny: string[]; warn: string[] };
    expect(said.deny).toEqual(["default password"]);
    expect(said.warn).toHaveLength(1);
    expect(said.warn[0]).toMatch(/^engine [0-9a-f]{8}$/);
    expect(JSON.stringify(all.detail)).not.toContain("hunter2");
  });

  it("refuses sanitized() outside PLAN policies, and type errors, at save time", async () => {
    const approval = await failure(t.admin.call("createPolicy", { body: { id: "appr", name: "appr", type: "APPROVAL", body: 'package spacelift\nimport rego.v1\napprove if input.x == sanitized("y")' } }));
    expect(approval.code).toBe("invalid");
    expect(approval.message).toContain("rego_type_error: undefined function sanitized");
    const typed = await failure(t.admin.call("createPolicy", { body: { id: "typed", name: "typed", type: "PLAN", body: "package spacelift\nimport rego.v1\ndeny contains msg if msg := upper(count(input.x))" } }));
    expect(typed.message).toContain("rego_type_error: upper: invalid argument(s)");
    expect(typed.details).toMatchObject({ issues: [{ path: ["body"], row: 3 }] });
  });
});
