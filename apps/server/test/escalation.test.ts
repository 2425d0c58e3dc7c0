/**
 * Paths by which a caller with a role somewhere could gain more than it holds: a space admin
 * below root, a writer, and the last root admin. Each must be refused and leave nothing changed.
 */
import { GantryApiError, type GantryClient } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, userWithRole, type TestServer } from "./harness.js";

async function refused(p: Promise<unknown>, code = "forbidden"): Promise<GantryApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err, "the call should have been refused").toBeInstanceOf(GantryApiError);
  expect((err as GantryApiError).code).toBe(code);
  return err as GantryApiError;
}

describe.each(dialects)("no escalation of privileges (%s)", (dialect) => {
  let t: TestServer;
  let teamAdmin: GantryClient;
  let writer: GantryClient;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    const a = t.admin;
    await a.call("createSpace", { body: { id: "org", name: "org" } });
    await a.call("createSpace", { body: { id: "team", name: "team", parentSpaceId: "org", inheritEntities: true } });
    await a.call("createSpace", { body: { id: "elsewhere", name: "elsewhere" } });
    await a.call("createPolicy", { body: { id: "org-guard", name: "org guard", spaceId: "org", type: "PLAN", body: "package spacelift", labels: ["autoattach:*"] } });
    await a.call("createStack", { body: { id: "svc", name: "svc", spaceId: "team", repository: "/srv/git/infra.git" } });
    teamAdmin = t.client((await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }])).key);
    writer = t.client((await userWithRole(t, "team-writer", [{ spaceId: "team", role: "write" }])).key);
  });
  afterAll(() => t?.stop());

  it("keeps a space under its parent's governance unless the parent's admins agree", async () => {
    // Turning inheritance off would drop org's auto-attached policies from the team's stacks.
    await refused(teamAdmin.call("updateSpace", { params: { id: "team" }, body: { inheritEntities: false } }));
    await refused(teamAdmin.call("updateSpace", { params: { id: "team" }, body: { parentSpaceId: "root" } }));
    const space = await t.admin.call("getSpace", { params: { id: "team" } });
    expect(space).toMatchObject({ parentSpaceId: "org", inheritEntities: true });
    expect((await t.admin.call("explainStack", { params: { id: "svc" } })).policies.map((p) => p.id)).toEqual(["org-guard"]);
    // Within its own subtree a space admin still manages freely.
    await teamAdmin.call("createSpace", { body: { id: "team-sub", name: "sub", parentSpaceId: "team" } });
    await teamAdmin.call("updateSpace", { params: { id: "team-sub" }, body: { inheritEntities: true } });
  });

  it("gives a space admin the same refusal for a grant on a space that does not exist as on one outside their reach", async () => {
    const me = await teamAdmin.call("me", {});
    const grant = (spaceId: string) => ({ body: { spaceId, role: "read" as const, subjectType: "user" as const, subjectId: me.id } });
    const outside = await refused(teamAdmin.call("createRoleBinding", grant("elsewhere")));
    const missing = await refused(teamAdmin.call("createRoleBinding", grant("no-such-space")));
    expect(missing.message).toBe(outside.message.replace('"elsewhere"', '"no-such-space"'));
    // The root admin, who could see every space anyway, is told it does not exist, at its field.
    const told = await refused(t.admin.call("createRoleBinding", grant("no-such-space")), "invalid");
    expect(told.details).toMatchObject({ issues: [{ path: ["spaceId"], message: 'space "no-such-space" does not exist' }] });
  });

  it("lets only admins make a stack administrative", async () => {
    await refused(writer.call("createStack", { body: { name: "admin-stack", spaceId: "team", repository: "/srv/git/infra.git", administrative: true } }));
    await refused(writer.call("updateStack", { params: { id: "svc" }, body: { administrative: true } }));
    expect((await t.admin.call("getStack", { params: { id: "svc" } })).administrative).toBe(false);
    await teamAdmin.call("updateStack", { params: { id: "svc" }, body: { administrative: true } });
    // A writer cannot carry an administrative stack off elsewhere either.
    await refused(writer.call("updateStack", { params: { id: "svc" }, body: { description: "x", administrative: false } }));
  });

  it("keeps login policies in root, written by root admins, never attached to stacks", async () => {
    const body = "package spacelift\n\nadmin if input.session.login == \"team-admin\"\n";
    await refused(teamAdmin.call("createPolicy", { body: { id: "grab", name: "grab", spaceId: "team", type: "LOGIN", body } }), "invalid");
    expect((await t.admin.call("listPolicies", { query: {} })).items.map((p) => p.id)).not.toContain("grab");
    await t.admin.call("createPolicy", { body: { id: "login", name: "login", type: "LOGIN", body, labels: ["autoattach:*"] } });
    await refused(t.admin.call("attachPolicy", { params: { id: "svc", entityId: "login" } }), "conflict");
    expect((await t.admin.call("explainStack", { params: { id: "svc" } })).policies.map((p) => p.id)).not.toContain("login");
    // A team admin's own plan policy is fine, and authorization comes before compilation.
    await teamAdmin.call("createPolicy", { body: { id: "team-plan", name: "team plan", spaceId: "team", type: "PLAN", body: "package spacelift" } });
    const err = await refused(writer.call("createPolicy", { body: { name: "probe", spaceId: "team", type: "PLAN", body: "not rego at all" } }));
    expect(err.message).not.toContain("rego_parse_error");
  });

  it("answers a login with a stale token in the header", async () => {
    const carol = await t.admin.call("createUser", { body: { username: "carol", password: "a long enough password" } });
    // A role lets her in whatever LOGIN policies an earlier test left (they take effect now).
    await t.admin.call("createRoleBinding", { body: { spaceId: "root", role: "read", subjectType: "user", subjectId: carol.id } });
    const res = await t.raw("POST", "/api/v1/auth/login", { token: "gnt_01ZZZ_revokedrevokedrevokedrevoked", body: JSON.stringify({ username: "carol", password: "a long enough password" }) });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const lower = await t.raw("GET", "/api/v1/me", { headers: { authorization: `bearer ${t.adminKey}` } });
    expect(lower.status, JSON.stringify(lower.json)).toBe(200);
  });

  // Last: it takes root away from the first admin.
  it("never leaves the instance without an enabled root admin", async () => {
    const a = t.admin;
    const me = await a.call("me", {});
    const bindings = await a.call("listRoleBindings", { query: { spaceId: "root" } });
    const mine = bindings.items.find((b) => b.subjectId === me.id && b.role === "admin")!;
    const err = await refused(a.call("deleteRoleBinding", { params: { id: mine.id } }), "conflict");
    expect(err.message).toContain("no enabled user with admin on the root space");
    const second = await userWithRole(t, "second-admin", [{ spaceId: "root", role: "admin" }]);
    // With a second root admin, the first may step down.
    await a.call("deleteRoleBinding", { params: { id: mine.id } });
    // Now the second is the only one: it cannot disable itself, nor be deleted.
    const asSecond = t.client(second.key);
    await refused(asSecond.call("updateUser", { params: { id: second.id }, body: { disabled: true } }), "conflict");
    expect((await asSecond.call("getUser", { params: { id: second.id } })).disabled).toBe(false);
  });

});
