/**
 * Role grants by a space admin who is not root admin, in Debian's headless chromium against a
 * real server: they reach the page from the navigation, see the bindings on their space and its
 * subtree only, are offered only those spaces, grant a role to a typed user or team id (an id
 * that does not exist refused at its field), revoke from the keyboard; the API refuses them
 * elsewhere. Someone who administers nothing gets neither the link nor the form.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startTestServer, userWithRole, type TestServer } from "../../server/test/harness.js";
import { ensureWebBuild, launchChromium, logInThroughPage, screenshot, seriousA11yViolations } from "./browser.js";

describe("web UI: role grants by a space admin", () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: { id: string; key: string };
  let alice: { id: string; key: string };
  let teamId: string;
  let otherBindingId: string;
  const password = "correct horse battery";

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestServer("sqlite");
    await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
    await t.admin.call("createSpace", { body: { id: "team-sub", name: "team-sub", parentSpaceId: "team" } });
    await t.admin.call("createSpace", { body: { id: "other", name: "other" } });
    admin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
    alice = await userWithRole(t, "alice", []);
    teamId = (await t.admin.call("createTeam", { body: { name: "platform" } })).id;
    otherBindingId = (await t.admin.call("createRoleBinding", { body: { spaceId: "other", role: "read", subjectType: "user", subjectId: alice.id } })).id;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.on("dialog", (d) => void d.accept());
    await logInThroughPage(page, t.url, { username: "team-admin", password });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const bindingsOn = async (spaceId: string) => (await t.admin.call("listRoleBindings", { query: { spaceId } })).items;

  it("reaches role bindings from the navigation and sees only its spaces' bindings and no account administration", async () => {
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
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousA11yViolations(page), scheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: "light" });
    // The root admins' page tells them where to go instead.
    await page.goto(`${t.url}/admin`);
    await page.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    await page.getByRole("link", { name: "Role bindings" }).last().waitFor();
  });

  it("refuses an unknown user id at its field, grants by typed ids from the keyboard and revokes", async () => {
    await page.goto(`${t.url}/role-bindings`);
    const grant = page.getByRole("form", { name: "grant a role" });
    await expect.poll(() => grant.getByLabel("Space").locator("option").allTextContents()).toEqual(["team", "team-sub"]);
    await grant.getByLabel("Space").selectOption("team-sub");
    await grant.getByLabel("Role").selectOption("write");
    const userId = grant.getByLabel("User id");
    await userId.fill("nobody");
    await userId.press("Enter");
    await expect.poll(() => userId.getAttribute("aria-invalid")).toBe("true");
    expect(await grant.getByText('user "nobody" does not exist').count()).toBe(1);
    await screenshot(page, "role-bindings-unknown-user");
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousA11yViolations(page), scheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: "light" });
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
    const as = t.client(admin.key);
    expect((await failure(as.call("createRoleBinding", { body: { spaceId: "other", role: "admin", subjectType: "user", subjectId: admin.id } }))).status).toBe(403);
    expect((await failure(as.call("createRoleBinding", { body: { spaceId: "root", role: "read", subjectType: "user", subjectId: alice.id } }))).status).toBe(403);
    expect((await failure(as.call("deleteRoleBinding", { params: { id: otherBindingId } }))).status).toBe(403);
    expect((await as.call("listRoleBindings", { query: {} })).items.map((b) => b.spaceId).sort()).toEqual(["team", "team"]);
    expect((await bindingsOn("other")).map((b) => b.id)).toEqual([otherBindingId]);
  });

  it("gives someone who administers nothing neither the link nor the form", async () => {
    const p = await (await browser.newContext()).newPage();
    await logInThroughPage(p, t.url, { username: "alice", password });
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
