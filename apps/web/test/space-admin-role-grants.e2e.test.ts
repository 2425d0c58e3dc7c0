/**
 * Role grants by a space admin who is not root admin, in Debian's headless chromium against a
 * real server: they reach the page from the navigation, see the bindings on their space and its
 * subtree only, are offered only those spaces, grant a role to a typed user or team id (an id
 * that does not exist refused at its field), revoke from the keyboard; the API refuses them
 * elsewhere. Someone who administers nothing gets neither the link nor the form.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, screenshot, webSession } from "./browser.js";

describe("web UI: role grants by a space admin", () => {
  const password = "correct horse battery";
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      await t.admin.call("createSpace", { body: { id: "team-sub", name: "team-sub", parentSpaceId: "team" } });
      await t.admin.call("createSpace", { body: { id: "other", name: "other" } });
      const admin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
      const alice = await userWithRole(t, "alice", []);
      const teamId = (await t.admin.call("createTeam", { body: { name: "platform" } })).id;
      const otherBindingId = (await t.admin.call("createRoleBinding", { body: { spaceId: "other", role: "read", subjectType: "user", subjectId: alice.id } })).id;
      return { admin, alice, teamId, otherBindingId };
    },
    logInAs: () => ({ username: "team-admin", password }),
    acceptDialogs: true,
  });

  const bindingsOn = async (spaceId: string) => (await web.t.admin.call("listRoleBindings", { query: { spaceId } })).items;

  it("reaches role bindings from the navigation and sees only its spaces' bindings and no account administration", async () => {
    const { t, page, given: { admin, otherBindingId } } = web;
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Role bindings" }).click();
    await page.waitForURL(`${t.url}/role-bindings`);
    expect(await nav.getByRole("link", { name: "Users" }).count()).toBe(0);
    await page.getByRole("button", { name: `Revoke admin on team for user ${admin.id}` }).waitFor();
    expect(await page.getByText(otherBindingId).count()).toBe(0);
    expect(await page.getByRole("row").filter({ hasText: "other" }).count()).toBe(0);
    const grant = page.getByRole("form", { name: "grant a role" });
    await expect.poll(() => grant.getByLabel("Space").locator("option").allTextContents()).toEqual(["team", "team-sub"]);
    expect(await page.getByRole("button", { name: /Create user|Create team|Delete/ }).count()).toBe(0);
    expect(await page.getByRole("form", { name: /create a (user|team)/ }).count()).toBe(0);
    await screenshot(page, "role-bindings-space-admin");
    await expectA11yClean(page);
    // The root admins' page tells them where to go instead.
    await page.goto(`${t.url}/admin`);
    await page.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    await page.getByRole("link", { name: "Role bindings" }).last().waitFor();
  });

  it("refuses an unknown user id at its field, grants by typed ids from the keyboard and revokes", async () => {
    const { t, page, given: { alice, teamId } } = web;
    await page.goto(`${t.url}/role-bindings`);
    const grant = page.getByRole("form", { name: "grant a role" });
    await expect.poll(() => grant.getByLabel("Space").locator("option").allTextContents()).toEqual(["team", "team-sub"]);
    await grant.getByLabel("Space").selectOption("team-sub");
    await grant.getByLabel("Role").selectOption("write");
    const userId = grant.getByLabel("User id");
    await userId.fill("nobody");
    await userId.press("Enter");
    expect(await fieldProblem(grant, "User id")).toContain('user "nobody" does not exist');
    expect(await grant.getByText('user "nobody" does not exist').count()).toBe(1);
    await screenshot(page, "role-bindings-unknown-user");
    await expectA11yClean(page);
    expect(await bindingsOn("team-sub")).toEqual([]);

    // Keyboard: clear the field, type alice's id, submit with Enter.
    await userId.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(alice.id);
    await page.keyboard.press("Enter");
    const revokeAlice = page.getByRole("button", { name: `Revoke write on team-sub for user ${alice.id}` });
    await revokeAlice.waitFor();
    await grant.getByRole("status").filter({ hasText: "Granted." }).waitFor();
    expect(await bindingsOn("team-sub")).toMatchObject([{ role: "write", subjectType: "user", subjectId: alice.id }]);

    await grant.getByLabel("Space").selectOption("team");
    await grant.getByLabel("Role").selectOption("read");
    await grant.getByLabel("Granted to a").selectOption("team");
    await grant.getByLabel("Team id").fill(teamId);
    await grant.getByRole("button", { name: "Grant role" }).click();
    await page.getByRole("button", { name: `Revoke read on team for team ${teamId}` }).waitFor();
    expect((await bindingsOn("team")).filter((b) => b.subjectType === "team")).toMatchObject([{ role: "read", subjectId: teamId }]);

    await revokeAlice.focus();
    await page.keyboard.press("Enter");
    await revokeAlice.waitFor({ state: "detached" });
    expect(await bindingsOn("team-sub")).toEqual([]);
  });

  it("is refused by the API on a space it does not administer", async () => {
    const { t, given: { admin, alice, otherBindingId } } = web;
    const as = t.client(admin.key);
    expect((await failure(as.call("createRoleBinding", { body: { spaceId: "other", role: "admin", subjectType: "user", subjectId: admin.id } }))).status).toBe(403);
    expect((await failure(as.call("createRoleBinding", { body: { spaceId: "root", role: "read", subjectType: "user", subjectId: alice.id } }))).status).toBe(403);
    expect((await failure(as.call("deleteRoleBinding", { params: { id: otherBindingId } }))).status).toBe(403);
    expect((await as.call("listRoleBindings", { query: {} })).items.map((b) => b.spaceId).sort()).toEqual(["team", "team"]);
    expect((await bindingsOn("other")).map((b) => b.id)).toEqual([otherBindingId]);
  });

  it("gives someone who administers nothing neither the link nor the form", async () => {
    const { t, given: { alice } } = web;
    const p = await web.pageAs({ username: "alice", password });
    const nav = p.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "API keys" }).waitFor();
    expect(await nav.getByRole("link", { name: /Role bindings|Users/ }).count()).toBe(0);
    await p.goto(`${t.url}/role-bindings`);
    await p.getByRole("alert").filter({ hasText: "Granting roles needs the admin role on a space" }).waitFor();
    expect(await p.getByRole("form", { name: "grant a role" }).count()).toBe(0);
    expect((await failure(t.client(alice.key).call("createRoleBinding", { body: { spaceId: "other", role: "admin", subjectType: "user", subjectId: alice.id } }))).status).toBe(403);
    await p.context().close();
  });
});
