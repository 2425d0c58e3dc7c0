/**
 * ACCESS policies on both dialects, through the public API: the seed blog's project-ownership
 * policy with three teams (platform writes everything, a team writes its own `team:` stacks,
 * nobody but platform writes `env:prod`), lists filtered by it, a policy that fails to evaluate
 * refusing writes (and audited), and root admins above all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";

/**
 * The blog's policy (Rego v0, as published), with its one unsafe spot corrected: the original
 * `not input.session.teams[_] == "github-platform-team"` is a negated expression over a
 * wildcard; the helper rule says what was meant.
 */
const projectOwnership = `package spacelift
team_logins := {
  "payments": ["github-payments-team"],
  "data": ["github-data-team"],
  "platform": ["github-platform-team"],
  "security": ["github-security-team"],
}
is_platform { input.session.teams[_] == "github-platform-team" }
read { is_platform }
write { is_platform }
write {
  team := input.stack.labels[_]
  startswith(team, "team:")
  team_name := substring(team, 5, -1)
  input.session.teams[_] == team_logins[team_name][_]
}
read {
  team := input.stack.labels[_]
  startswith(team, "team:")
  team_name := substring(team, 5, -1)
  input.session.teams[_] == team_logins[team_name][_]
}
deny_write[msg] {
  input.stack.labels[_] == "env:prod"
  not is_platform
  msg := "Only the platform team can write to production stacks."
}`;

describe.each(dialects)("ACCESS policies (%s)", (dialect) => {
  let t: TestServer;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer(dialect);
    await t.admin.call("createPolicy", { body: { id: "project-ownership", name: "project-ownership", type: "ACCESS", body: projectOwnership, regoVersion: "V0", labels: ["autoattach:security-policies"] } });
    for (const [id, labels] of [["pay-dev", ["team:payments", "env:dev"]], ["pay-prod", ["team:payments", "env:prod"]], ["data-dev", ["team:data", "env:dev"]]] as const) {
      await t.admin.call("createStack", { body: { id, name: id, repository: "/srv/infra.git", labels: [...labels, "security-policies"] } });
    }
    // A stack the policy does not reach (no security-policies label): space roles alone decide.
    await t.admin.call("createStack", { body: { id: "unlabelled", name: "unlabelled", repository: "/srv/infra.git", labels: ["team:payments"] } });
    for (const team of ["platform", "payments", "data"]) {
      const tm = await t.admin.call("createTeam", { body: { name: `github-${team}-team` } });
      const u = await userWithRole(t, `${team}-person`, []);
      await t.admin.call("addTeamMember", { params: { id: tm.id, userId: u.id } });
      keys[team] = u.key;
    }
  });
  afterAll(() => t?.stop());

  const as = (team: string) => t.client(keys[team]);
  const listed = async (team: string) => (await as(team).call("listStacks", { query: { limit: 100 } })).items.map((s) => s.id);

  it("lets the platform team read and write every stack the policy reaches", async () => {
    expect(await listed("platform")).toEqual(["data-dev", "pay-dev", "pay-prod"]);
    for (const id of ["pay-dev", "pay-prod", "data-dev"]) {
      const run = await as("platform").call("createRun", { params: { id }, body: {} });
      expect(run.stackId).toBe(id);
    }
  });

  it("lets a team write its own non-prod stacks, read its prod stack, and see nothing else", async () => {
    expect(await listed("payments")).toEqual(["pay-dev", "pay-prod"]);
    expect(await listed("data")).toEqual(["data-dev"]);
    await as("payments").call("createRun", { params: { id: "pay-dev" }, body: {} });
    await as("payments").call("putStackVariable", { params: { id: "pay-dev", name: "REGION" }, body: { value: "eu-west-1" } });
    expect((await as("payments").call("getStack", { params: { id: "pay-prod" } })).id).toBe("pay-prod");
    const prod = await failure(as("payments").call("createRun", { params: { id: "pay-prod" }, body: {} }));
    expect(prod.status).toBe(403);
    expect(prod.message).toContain("Only the platform team can write to production stacks.");
    expect(prod.message).toContain("project-ownership");
    // The incident that opened the issue: a payments user triggering a data-team stack.
    const other = await failure(as("payments").call("createRun", { params: { id: "data-dev" }, body: {} }));
    expect(other.status).toBe(403);
    expect((await failure(as("payments").call("getStack", { params: { id: "data-dev" } }))).status).toBe(403);
    expect((await failure(as("payments").call("stackConfig", { params: { id: "data-dev" } }))).status).toBe(403);
    expect((await failure(as("data").call("listStackRuns", { params: { id: "pay-dev" }, query: { limit: 10 } }))).status).toBe(403);
    expect((await as("payments").call("listStackRuns", { params: { id: "pay-dev" }, query: { limit: 10 } })).items.length).toBeGreaterThan(0);
  });

  it("narrows space roles too: deny_write wins over a write binding, but not over a root admin", async () => {
    const writer = await userWithRole(t, "space-writer", [{ spaceId: "root", role: "write" }]);
    const c = t.client(writer.key);
    // A space role still reads and writes what the policy does not forbid (and stacks it does not reach).
    expect((await c.call("listStacks", { query: { limit: 100 } })).items.map((s) => s.id)).toEqual(["data-dev", "pay-dev", "pay-prod", "unlabelled"]);
    await c.call("createRun", { params: { id: "pay-dev" }, body: {} });
    expect((await failure(c.call("createRun", { params: { id: "pay-prod" }, body: {} }))).message).toContain("Only the platform team");
    expect((await failure(c.call("lockStack", { params: { id: "pay-prod" }, body: {} }))).status).toBe(403);
    // Root admins are above ACCESS policies.
    await t.admin.call("createRun", { params: { id: "pay-prod" }, body: {} });
    // Stacks the policy does not reach: no space role, no access.
    expect((await failure(as("payments").call("getStack", { params: { id: "unlabelled" } }))).status).toBe(403);
  });

  it("pages through a filtered list without losing or repeating stacks", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await as("payments").call("listStacks", { query: { limit: 1, cursor } });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(["pay-dev", "pay-prod"]);
  });

  it("refuses writes when a policy fails to evaluate, says which and why, and audits it", async () => {
    await t.admin.call("createPolicy", {
      body: {
        id: "broken-access", name: "broken-access", type: "ACCESS", labels: ["autoattach:team:data"],
        body: `package spacelift\nimport rego.v1\nmode := "a" if input.session.login != ""\nmode := "b" if input.session.login != ""\nwrite if mode == "a"`,
      },
    });
    try {
      const err = await failure(as("data").call("createRun", { params: { id: "data-dev" }, body: {} }));
      expect(err.status).toBe(403);
      expect(err.message).toMatch(/broken-access failed to evaluate/);
      // Reading still works: the other policy grants it, and the broken one can only take writes away.
      expect((await as("data").call("getStack", { params: { id: "data-dev" } })).id).toBe("data-dev");
      const audit = await t.admin.call("listAuditEvents", { query: { limit: 10, action: "policy.access.error" } });
      expect(audit.items[0]).toMatchObject({ targetId: "broken-access", payload: { policyName: "broken-access", stackId: "data-dev" } });
    } finally {
      await t.admin.call("deletePolicy", { params: { id: "broken-access" } });
    }
    await as("data").call("createRun", { params: { id: "data-dev" }, body: {} });
  });

  it("asks a policy that reads a stack's contexts about each stack, not once per look-alike", async () => {
    // Two stacks alike in everything but an attached context: a list must tell them apart.
    for (const id of ["ctx-a", "ctx-b"]) await t.admin.call("createStack", { body: { id, name: id, repository: "/srv/infra.git", labels: ["by-context"] } });
    await t.admin.call("createContext", { body: { id: "shared-with-data", name: "shared-with-data" } });
    await t.admin.call("attachContext", { params: { id: "ctx-b", entityId: "shared-with-data" }, body: { priority: 0 } });
    await t.admin.call("createPolicy", {
      body: { id: "by-context", name: "by-context", type: "ACCESS", labels: ["autoattach:by-context"], body: `package spacelift\nimport rego.v1\nread if "shared-with-data" in input.stack.contexts` },
    });
    try {
      expect((await listed("data")).filter((id) => id.startsWith("ctx-"))).toEqual(["ctx-b"]);
      expect((await failure(as("data").call("getStack", { params: { id: "ctx-a" } }))).status).toBe(403);
      expect((await as("data").call("getStack", { params: { id: "ctx-b" } })).id).toBe("ctx-b");
    } finally {
      await t.admin.call("deletePolicy", { params: { id: "by-context" } });
    }
  });
});
