/**
 * LOGIN policies on both dialects, through the public API: evaluated at every password login and
 * API key use with Spacelift's input, rules and precedence; the effective roles shown by `me`
 * (what `gantry whoami` prints), audited, re-decided on refresh; a broken policy refuses people
 * but never a root admin's API key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";

const loginPolicy = `package spacelift
import rego.v1
admin if input.session.login == "alice"
deny contains "contractors log in through the vendor portal" if "contractors" in input.session.teams
space_write contains "payments" if "payments" in input.session.teams
roles["data"] contains "space-reader" if input.session.login == "dave"
allow if input.session.login == "erin"
team contains "github-payments-team" if "payments" in input.session.teams
space_read contains "no-such-space" if true`;

const password = "correct horse battery";

describe.each(dialects)("LOGIN policies (%s)", (dialect) => {
  let t: TestServer;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer(dialect);
    for (const id of ["payments", "data"]) await t.admin.call("createSpace", { body: { id, name: id } });
    await t.admin.call("createStack", { body: { id: "pay", name: "pay", spaceId: "payments", repository: "/srv/infra.git" } });
    const payments = await t.admin.call("createTeam", { body: { name: "payments" } });
    const contractors = await t.admin.call("createTeam", { body: { name: "contractors" } });
    for (const name of ["alice", "bob", "carol", "dave", "erin", "frank"]) {
      const u = await userWithRole(t, name, []);
      keys[name] = u.key;
      if (name === "bob") await t.admin.call("addTeamMember", { params: { id: payments.id, userId: u.id } });
      if (name === "carol") await t.admin.call("addTeamMember", { params: { id: contractors.id, userId: u.id } });
    }
    await t.admin.call("createPolicy", { body: { id: "sso-roles", name: "sso-roles", type: "LOGIN", body: loginPolicy } });
  });
  afterAll(() => t?.stop());

  const login = (username: string) => t.admin.call("login", { body: { username, password } });

  it("grants space roles and teams at login, shown by me with where each role comes from", async () => {
    const s = await login("bob");
    const me = await t.client(s.token).call("me", {});
    expect(me.roles).toEqual([{ spaceId: "payments", role: "write", source: "login policy sso-roles" }]);
    expect(me.teams).toEqual(["payments", "github-payments-team"]);
    // The granted role works: bob triggers a run in the payments space.
    expect((await t.client(s.token).call("createRun", { params: { id: "pay" }, body: {} })).stackId).toBe("pay");
    // The same decision for his API key.
    expect((await t.client(keys.bob).call("me", {})).roles).toEqual([{ spaceId: "payments", role: "write", source: "login policy sso-roles" }]);
    expect((await t.client((await login("dave")).token).call("me", {})).roles).toEqual([{ spaceId: "data", role: "read", source: "login policy sso-roles" }]);
    expect((await t.client((await login("alice")).token).call("me", {})).roles).toEqual([{ spaceId: "root", role: "admin", source: "login policy sso-roles" }]);
  });

  it("follows Spacelift's precedence: deny wins, allow lets in without roles, nobody else gets in", async () => {
    const denied = await failure(login("carol"));
    expect(denied.status).toBe(401);
    expect(denied.message).toContain("contractors log in through the vendor portal");
    expect((await failure(t.client(keys.carol).call("me", {}))).message).toContain("contractors log in");
    expect((await t.client((await login("erin")).token).call("me", {})).roles).toEqual([]);
    expect((await failure(login("frank"))).message).toMatch(/no login policy lets you in and you hold no role/);
    // A person with a role binding of their own still gets in.
    await userWithRole(t, "grace", [{ spaceId: "data", role: "read" }]);
    expect((await t.client((await login("grace")).token).call("me", {})).roles).toEqual([{ spaceId: "data", role: "read", source: "role binding" }]);
  });

  it("records every decision in the audit trail", async () => {
    const refused = await t.admin.call("listAuditEvents", { query: { limit: 50, action: "login.refused" } });
    expect(refused.items.some((e) => (e.payload as { refusal: string }).refusal.includes("contractors log in"))).toBe(true);
    const allowed = await t.admin.call("listAuditEvents", { query: { limit: 50, action: "login.allowed" } });
    const bob = allowed.items.find((e) => (e.payload.grantedRoles as { spaceId: string }[]).some((g) => g.spaceId === "payments"));
    expect(bob?.payload).toMatchObject({ via: expect.stringMatching(/password|apiKey/), policies: [{ id: "sso-roles", outcome: "grants" }] });
  });

  it("decides a session again when it is refreshed", async () => {
    const s = await login("bob");
    await t.admin.call("updatePolicy", { params: { id: "sso-roles" }, body: { body: loginPolicy.replace('space_write contains "payments"', 'space_read contains "payments"') } });
    try {
      // Until refreshed, the session keeps what was decided when it began.
      expect((await t.client(s.token).call("me", {})).roles[0]?.role).toBe("write");
      const me = await t.client(s.token).call("refreshSession", {});
      expect(me.roles).toEqual([{ spaceId: "payments", role: "read", source: "login policy sso-roles" }]);
      expect((await failure(t.client(s.token).call("createRun", { params: { id: "pay" }, body: {} }))).status).toBe(403);
      // An API key is decided again as soon as the policy changes.
      expect((await t.client(keys.bob).call("me", {})).roles[0]?.role).toBe("read");
    } finally {
      await t.admin.call("updatePolicy", { params: { id: "sso-roles" }, body: { body: loginPolicy } });
    }
  });

  it("refuses people while a policy fails to evaluate, but never locks out a root admin's API key", async () => {
    await t.admin.call("createPolicy", { body: { id: "broken-login", name: "broken-login", type: "LOGIN", body: `package spacelift\nimport rego.v1\nx := 1 if true\nx := 2 if true\nallow if x == 1` } });
    try {
      const err = await failure(login("bob"));
      expect(err.status).toBe(401);
      expect(err.message).toMatch(/login policy broken-login failed to evaluate/);
      const me = await t.admin.call("me", {});
      expect(me.roles).toEqual([{ spaceId: "root", role: "admin", source: "role binding" }]);
      const refused = await t.admin.call("listAuditEvents", { query: { limit: 5, action: "login.refused" } });
      expect((refused.items[0]?.payload.errors as string[])[0]).toContain("broken-login");
    } finally {
      await t.admin.call("deletePolicy", { params: { id: "broken-login" } });
    }
    expect((await t.client((await login("bob")).token).call("me", {})).roles[0]?.spaceId).toBe("payments");
  });
});
