/**
 * Authoring help, through the API: `explain` names near misses (an autoattach label in reach
 * that the stack does not carry, an `autoattach:` label put on a stack), and a Rego v0 body
 * saved as v1 is refused with how to keep it as v0.
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
});
