/**
 * Accounts administration in Debian's headless chromium against a real server: a root admin
 * creates a team (the server's refusal at its field first), adds and removes a member, grants
 * the team a role on a space and revokes it, deletes the team and a user; a space admin gets
 * no account page and the API refuses them as well.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("web UI: users, teams and role bindings", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "payments", name: "payments" } });
      const aliceId = (await t.admin.call("createUser", { body: { username: "alice", password: "alice-password-1" } })).id;
      const bobId = (await t.admin.call("createUser", { body: { username: "bob", password: "bob-password-12" } })).id;
      return { aliceId, bobId };
    },
    acceptDialogs: true,
  });

  const teams = async () => (await web.t.admin.call("listTeams", {})).items;

  it("creates a team, adds and removes a member, grants and revokes a role, deletes the team and a user", async () => {
    const { t, page, given: { aliceId, bobId } } = web;
    await page.goto(`${t.url}/admin`);
    const create = page.getByRole("form", { name: "create a team" });
    await create.getByLabel("New team name").fill(" platform");
    await create.getByRole("button", { name: "Create team" }).click();
    expect(await fieldProblem(create, "New team name")).toContain("must not start or end with white space");
    expect(await teams()).toEqual([]);
    await create.getByLabel("New team name").fill("platform");
    await create.getByRole("button", { name: "Create team" }).click();
    const add = page.getByRole("form", { name: "add a member to platform" });
    await add.getByLabel("User to add to platform").selectOption({ label: "alice" });
    await add.getByRole("button", { name: "Add to platform" }).click();
    await page.getByRole("button", { name: "Remove alice from platform" }).waitFor();
    const [team] = await teams();
    expect(team).toMatchObject({ name: "platform", members: [aliceId] });

    const grant = page.getByRole("form", { name: "grant a role" });
    await grant.getByLabel("Space").selectOption("payments");
    await grant.getByLabel("Role").selectOption("write");
    await grant.getByLabel("Granted to a").selectOption("team");
    await grant.getByLabel("Team").selectOption({ label: "platform" });
    await grant.getByRole("button", { name: "Grant role" }).click();
    const revoke = page.getByRole("button", { name: "Revoke write on payments for team platform" });
    await revoke.waitFor();
    expect((await t.admin.call("listRoleBindings", { query: { spaceId: "payments" } })).items).toMatchObject([{ role: "write", subjectType: "team", subjectId: team!.id }]);

    await expectA11yClean(page);

    await revoke.click();
    await revoke.waitFor({ state: "detached" });
    expect((await t.admin.call("listRoleBindings", { query: { spaceId: "payments" } })).items).toEqual([]);
    await page.getByRole("button", { name: "Remove alice from platform" }).click();
    await page.getByRole("button", { name: "Remove alice from platform" }).waitFor({ state: "detached" });
    expect((await teams())[0]!.members).toEqual([]);
    await page.getByRole("button", { name: "Delete team platform" }).click();
    await page.getByRole("button", { name: "Delete team platform" }).waitFor({ state: "detached" });
    expect(await teams()).toEqual([]);

    await page.getByRole("button", { name: "Delete bob" }).click();
    await page.getByRole("button", { name: "Delete bob" }).waitFor({ state: "detached" });
    expect((await t.admin.call("listUsers", { query: { limit: 1000 } })).items.map((u) => u.id)).not.toContain(bobId);
  });

  it("gives a space admin no account page, and the API refuses them", async () => {
    const { t, given: { aliceId } } = web;
    const key = (await userWithRole(t, "space-admin", [{ spaceId: "payments", role: "admin" }])).key;
    const p = await web.pageAs({ apiKey: key });
    await p.goto(`${t.url}/admin`);
    await p.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    expect(await p.getByRole("button", { name: /Delete|Create team|Grant role/ }).count()).toBe(0);
    expect((await failure(t.client(key).call("deleteUser", { params: { id: aliceId } }))).status).toBe(403);
    expect((await failure(t.client(key).call("createTeam", { body: { name: "sneaky" } }))).status).toBe(403);
    await p.context().close();
  });
});
