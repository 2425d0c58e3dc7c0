/**
 * One user's page for root admins, in Debian's headless chromium against a real server: reached
 * from the users list, it shows the account, its teams, its own role bindings and those of its
 * teams, and its API keys (nobody else's); a key and a binding are revoked there (from the
 * keyboard). A space admin is refused (and so is the API); an unknown user is "Not found".
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, screenshot, webSession } from "./browser.js";

describe("web UI: a user's page", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      await t.admin.call("createSpace", { body: { id: "other", name: "other" } });
      const bobId = (await t.admin.call("createUser", { body: { username: "bob", displayName: "Bob Builder", password: "correct horse battery" } })).id;
      const team = await t.admin.call("createTeam", { body: { name: "platform" } });
      await t.admin.call("addTeamMember", { params: { id: team.id, userId: bobId } });
      await t.admin.call("createRoleBinding", { body: { spaceId: "team", role: "write", subjectType: "user", subjectId: bobId } });
      await t.admin.call("createRoleBinding", { body: { spaceId: "other", role: "read", subjectType: "team", subjectId: team.id } });
      await t.admin.call("createApiKey", { body: { name: "bob-ci", userId: bobId } });
      await userWithRole(t, "carol", [{ spaceId: "other", role: "read" }]);
      return { bobId };
    },
    acceptDialogs: true,
  });

  it("shows one user's teams, roles (own and through teams) and keys, reached from the users list", async () => {
    const { t, page, given: { bobId } } = web;
    await page.goto(`${t.url}/admin`);
    await page.getByRole("link", { name: "bob" }).click();
    await page.waitForURL(`${t.url}/admin/users/${bobId}`);
    await page.getByRole("heading", { level: 1, name: /bob \(Bob Builder\)/ }).waitFor();
    await page.getByText("platform", { exact: true }).waitFor();
    const roles = page.getByRole("region", { name: "Roles" });
    expect(await roles.getByRole("row").filter({ hasText: "own binding" }).textContent()).toMatch(/^teamwrite/);
    expect(await roles.getByRole("row").filter({ hasText: "team platform" }).textContent()).toMatch(/^otherread/);
    const keys = page.getByRole("region", { name: "API keys" });
    await keys.getByRole("row").filter({ hasText: "bob-ci" }).waitFor();
    expect(await keys.getByText("carol-key").count()).toBe(0);
    await screenshot(page, "user-page");
    await expectA11yClean(page);
  });

  it("revokes the user's key and own binding from the keyboard", async () => {
    const { t, page, given: { bobId } } = web;
    await page.goto(`${t.url}/admin/users/${bobId}`);
    const key = page.getByRole("button", { name: "Revoke key bob-ci" });
    await key.focus();
    await page.keyboard.press("Enter");
    await page.getByText("No API keys.").waitFor();
    expect((await t.admin.call("listApiKeys", {})).items.filter((k) => k.userId === bobId)).toEqual([]);
    const binding = page.getByRole("button", { name: "Revoke write on team" });
    await binding.focus();
    await page.keyboard.press("Enter");
    await binding.waitFor({ state: "detached" });
    const left = (await t.admin.call("listRoleBindings", { query: {} })).items.filter((b) => b.subjectId === bobId);
    expect(left).toEqual([]);
    // The team's binding stays: it is the team's, not the user's.
    await page.getByRole("row").filter({ hasText: "team platform" }).waitFor();
  });

  it("refuses a space admin (the API too) and answers Not found for an unknown user", async () => {
    const { t, page, given: { bobId } } = web;
    const spaceAdmin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
    const p = await web.pageAs({ apiKey: spaceAdmin.key });
    await p.goto(`${t.url}/admin/users/${bobId}`);
    await p.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    expect(await p.getByText("Bob Builder").count()).toBe(0);
    expect((await failure(t.client(spaceAdmin.key).call("getUser", { params: { id: bobId } }))).status).toBe(403);
    await p.context().close();
    await page.goto(`${t.url}/admin/users/nobody`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
  });
});
