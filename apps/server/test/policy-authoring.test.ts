/**
 * Authoring help, through the API: `explain` names near misses (an autoattach label in reach
 * that the stack does not carry, an `autoattach:` label put on a stack), and a Rego v0 body
 * saved as v1 is refused with how to keep it as v0, the editor's check detects the version as a
 * save does, and the check takes every body a save takes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, type TestServer } from "./harness.js";

describe.each(dialects)("policy authoring help (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.stop());

  it("explains near misses: labels that almost attach something", async () => {
    await t.admin.call("createPolicy", { body: { id: "tags", name: "tags", type: "PLAN", body: "package spacelift", labels: ["autoattach:security-policies"] } });
    await t.admin.call("createContext", { body: { id: "aws-prod", name: "aws-prod", labels: ["autoattach:env:prod"] } });
    await t.admin.call("createStack", { body: { id: "app", name: "app", repository: "/srv/infra.git", labels: ["security-policy", "autoattach:env:prod"] } });
    const x = await t.admin.call("explainStack", { params: { id: "app" } });
    expect(x.policies).toEqual([]);
    expect(x.hints).toEqual(expect.arrayContaining([
      { kind: "unmatched_autoattach", entityId: "tags", message: expect.stringContaining("did you mean label security-policies on the stack?") },
      { kind: "unmatched_autoattach", entityId: "aws-prod", message: expect.stringContaining("did you mean label env:prod on the stack?") },
      { kind: "autoattach_label_on_stack", entityId: null, message: expect.stringContaining('give the stack the label "env:prod"') },
    ]));
  });

  it("says how to keep Rego v0 code when it is saved as v1", async () => {
    const err = await failure(t.admin.call("createPolicy", { body: { id: "old", name: "old", type: "PLAN", regoVersion: "V1", body: "package spacelift\ndeny[msg] { msg := \"no\" }" } }));
    expect(err.status).toBe(422);
    expect(err.message).toContain('regoVersion "V0"');
    expect(err.message).toContain('rego_version = "V0"');
    // A body that is wrong in both versions gets no such hint.
    const bad = await failure(t.admin.call("createPolicy", { body: { id: "bad", name: "bad", type: "PLAN", body: "package spacelift\ndeny[msg] {" } }));
    expect(bad.message).not.toContain("Rego v0 syntax");
  });

  it("checks without a version as a save detects it: a v0 body over a v1 policy is checked as v0, with the save's warning", async () => {
    const v0 = 'package spacelift\ndeny[msg] { input.x; msg := "no" }\n';
    const checked = await t.admin.call("checkPolicy", { body: { type: "PLAN", body: v0, detectFrom: "V1" } });
    expect(checked).toMatchObject({ errors: [], regoVersion: "V0", warnings: [expect.stringContaining("stored as V0")] });
    // An explicit version is never second-guessed: the same body as V1 does not parse.
    const asV1 = await t.admin.call("checkPolicy", { body: { type: "PLAN", body: v0, regoVersion: "V1" } });
    expect(asV1.regoVersion).toBe("V1");
    expect(asV1.errors[0]?.code).toBe("rego_parse_error");
    await t.admin.call("createPolicy", { body: { id: "was-v1", name: "was-v1", type: "PLAN", body: "package spacelift\nimport rego.v1\ndeny contains \"no\" if input.x\n" } });
    const saved = await t.admin.call("updatePolicy", { params: { id: "was-v1" }, body: { body: v0 } });
    expect(saved.regoVersion).toBe(checked.regoVersion);
    expect(saved.warnings).toEqual([expect.stringContaining("stored as V0")]);
    expect((await t.admin.call("getPolicy", { params: { id: "was-v1" } })).regoVersion).toBe("V0");
  });

  it("checks and saves a body over 256 KB: the check's limit is the save's", async () => {
    // ~300 KB of rules with a comment each: well over the old 256 KB check limit, under the 1 MB one.
    const rules = Array.from({ length: 300 }, (_, i) => `# rule ${i} ${"x".repeat(1000)}\ndeny contains "r${i}" if input.n == ${i}\n`);
    const body = `package spacelift\nimport rego.v1\n${rules.join("")}`;
    expect(body.length).toBeGreaterThan(300 * 1024);
    const tests = 'package spacelift_test\nimport rego.v1\nimport data.spacelift\ntest_r7 if { spacelift.deny["r7"] with input as {"n": 7} }\n';
    const checked = await t.admin.call("checkPolicy", { body: { type: "PLAN", body, tests } });
    expect(checked.errors).toEqual([]);
    expect(checked.tests?.map((r) => r.outcome)).toEqual(["pass"]);
    const created = await t.admin.call("createPolicy", { body: { id: "big", name: "big", type: "PLAN", body, tests } });
    expect(created.regoVersion).toBe("V1");
    expect((await t.admin.call("getPolicy", { params: { id: "big" } })).body).toBe(body);
    // Over the one limit, both refuse at the field.
    const huge = "#".repeat(1024 * 1024 + 1);
    const tooBig = await failure(t.admin.call("checkPolicy", { body: { type: "PLAN", body: huge } }));
    expect(tooBig.status).toBe(422);
    expect(JSON.stringify(tooBig.details)).toContain("body");
    expect((await failure(t.admin.call("updatePolicy", { params: { id: "big" }, body: { body: huge } }))).status).toBe(422);
  });
});
