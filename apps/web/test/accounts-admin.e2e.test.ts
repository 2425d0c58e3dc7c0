/**
 * Accounts administration in Debian's headless chromium against a real server: a root admin
 * creates a team (the server's refusal at its field first), adds and removes a member, grants
 * the team a role on a space and revokes it, deletes the team and a user; a space admin gets
 * no account page and the API refuses them as well.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startTestServer, userWithRole, type TestServer } from "../../server/test/harness.js";
import { ensureWebBuild, launchChromium, logInThroughPage, seriousA11yViolations } from "./browser.js";

describe("web UI: users, teams and role bindings", () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let aliceId: string;
  let bobId: string;

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestServer("sqlite");
    await t.admin.call("createSpace", { body: { id: "payments", name: "payments" } });
    aliceId = (await t.admin.call("createUser", { body: { username: "alice", password: "alice-password-1" } })).id;
    bobId = (await t.admin.call("createUser", { body: { username: "bob", password: "bob-password-12" } })).id;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.on("dialog", (d) => void d.accept());
    await logInThroughPage(page, t.url, { apiKey: t.adminKey });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const teams = async () => (await t.admin.call("listTeams", {})).items;

  it("creates a team, adds and removes a member, grants and revokes a role, deletes the team and a user", async () => {
    await page.goto(`${t.url}/admin`);
    const create = page.getByRole("form", { name: "create a team" });
    await create.getByLabel("New team name").fill(" platform");
    await create.getByRole("button", { name: "Create team" }).click();
    await expect.poll(() => create.getByLabel("New team name").getAttribute("aria-invalid")).toBe("true");
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

    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousA11yViolations(page), scheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: "light" });

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
    const key = (await userWithRole(t, "space-admin", [{ spaceId: "payments", role: "admin" }])).key;
    const p = await (await browser.newContext()).newPage();
    await logInThroughPage(p, t.url, { apiKey: key });
    await p.goto(`${t.url}/admin`);
    await p.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    expect(await p.getByRole("button", { name: /Delete|Create team|Grant role/ }).count()).toBe(0);
    expect((await failure(t.client(key).call("deleteUser", { params: { id: aliceId } }))).status).toBe(403);
    expect((await failure(t.client(key).call("createTeam", { body: { name: "sneaky" } }))).status).toBe(403);
    await p.context().close();
  });
});
