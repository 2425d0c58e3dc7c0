/**
 * People and keys in Debian's headless chromium against a real server: a root admin creates a
 * user with a display name and changes it on the user's page, sets a new password there (the old
 * one stops logging in, the new one does, open sessions end, keys keep working), creates an API
 * key with an expiry on the API keys page and a key for another user on that user's page (it acts
 * as that user). Each refusal appears at its field; a space admin gets none of these controls and
 * the API refuses them too.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

const DAY_MS = 86_400_000;

/** Types into a field from the keyboard (focus, select what is there, type) as a person would. */
async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await field.focus();
  await page.keyboard.press("Control+a");
  if (text === "") await page.keyboard.press("Delete");
  else await page.keyboard.type(text);
}

describe("web UI: people and keys", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      const spaceAdmin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
      return { spaceAdminKey: spaceAdmin.key };
    },
    acceptDialogs: true,
  });

  const userNamed = async (username: string) => (await web.t.admin.call("listUsers", { query: { limit: 1000 } })).items.find((u) => u.username === username);
  const keysNamed = async (name: string) => (await web.t.admin.call("listApiKeys", {})).items.filter((k) => k.name === name);

  it("creates a user with a display name (a short password refused at its field first) and changes the name on the user's page", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/admin`);
    const form = page.getByRole("form", { name: "create a user" });
    await form.getByLabel("New user name").fill("erin");
    await form.getByLabel("Display name").fill("Erin Example");
    await form.getByLabel("Password").fill("too short");
    await form.getByRole("button", { name: "Create user" }).click();
    expect(await fieldProblem(form, "Password")).toContain("must be at least 12 characters");
    expect(await userNamed("erin")).toBeUndefined();
    await typeInto(page, form.getByLabel("Password"), "erin-first-password");
    await page.keyboard.press("Enter");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "erin", exact: true }) });
    await row.getByRole("cell", { name: "Erin Example" }).waitFor();
    expect(await userNamed("erin")).toMatchObject({ username: "erin", displayName: "Erin Example", disabled: false });
    // The form is emptied: the password typed is not left on the page.
    expect(await form.getByLabel("Password").inputValue()).toBe("");
    await expectA11yClean(page, "admin-create-user");

    await row.getByRole("link", { name: "erin", exact: true }).click();
    const erinId = (await userNamed("erin"))!.id;
    await page.waitForURL(`${t.url}/admin/users/${erinId}`);
    const nameForm = page.getByRole("form", { name: "display name of erin" });
    expect(await nameForm.getByLabel("Display name").inputValue()).toBe("Erin Example");
    await typeInto(page, nameForm.getByLabel("Display name"), "x".repeat(256));
    await page.keyboard.press("Enter");
    expect(await fieldProblem(nameForm, "Display name")).toContain("<=255 characters");
    expect((await t.admin.call("getUser", { params: { id: erinId } })).displayName).toBe("Erin Example");
    await typeInto(page, nameForm.getByLabel("Display name"), "Erin E. Example");
    await page.keyboard.press("Enter");
    await nameForm.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect((await t.admin.call("getUser", { params: { id: erinId } })).displayName).toBe("Erin E. Example");
    await page.getByRole("heading", { level: 1, name: "erin (Erin E. Example)" }).waitFor();
    await page.getByRole("link", { name: "Users and teams" }).click();
    await page.getByRole("row").filter({ hasText: "Erin E. Example" }).getByRole("link", { name: "erin", exact: true }).waitFor();
  });

  it("sets a new password on the user's page: refused at the field when short; then the old one fails, the new one logs in, sessions end, keys keep working", async () => {
    const { t, page } = web;
    const erinId = (await userNamed("erin"))!.id;
    const anon = t.client();
    const oldSession = (await anon.call("login", { body: { username: "erin", password: "erin-first-password" } })).token;
    const erinKey = (await t.admin.call("createApiKey", { body: { name: "erin-laptop", userId: erinId } })).secret;
    await page.goto(`${t.url}/admin/users/${erinId}`);
    const form = page.getByRole("form", { name: "set a new password for erin" });
    // The consequences are said before the click.
    const hint = (await form.locator(".hint").textContent())!;
    expect(hint).toContain("At least 12 characters");
    expect(hint).toContain("every open session ends");
    expect(hint).toContain("API keys keep working");
    await typeInto(page, form.getByLabel("New password"), "still short");
    await page.keyboard.press("Enter");
    expect(await fieldProblem(form, "New password")).toContain("must be at least 12 characters");
    expect((await t.client(oldSession).call("me", {})).id).toBe(erinId);

    await typeInto(page, form.getByLabel("New password"), "erin-second-password");
    await page.keyboard.press("Enter");
    await form.getByRole("status").filter({ hasText: "New password set for erin" }).waitFor();
    expect(await form.getByLabel("New password").inputValue()).toBe("");
    expect(await page.content()).not.toContain("erin-second-password");

    const refused = await failure(anon.call("login", { body: { username: "erin", password: "erin-first-password" } }));
    expect([refused.status, refused.code]).toEqual([401, "unauthenticated"]);
    const fresh = await anon.call("login", { body: { username: "erin", password: "erin-second-password" } });
    expect(fresh.user.id).toBe(erinId);
    expect((await t.client(fresh.token).call("me", {})).name).toBe("erin");
    expect((await failure(t.client(oldSession).call("me", {}))).status).toBe(401);
    expect((await t.client(erinKey).call("me", {})).id).toBe(erinId);
    // Logging in through the page works with the new password too.
    const p = await web.pageAs({ username: "erin", password: "erin-second-password" });
    await p.context().close();
    await expectA11yClean(page, "user-set-password");
  });

  it("warns a root admin on their own page that a new password ends their session too", async () => {
    const { t, page } = web;
    const me = await t.admin.call("me", {});
    await page.goto(`${t.url}/admin/users/${me.id}`);
    const hint = page.getByRole("form", { name: `set a new password for ${me.name}` }).locator(".hint");
    await expect.poll(() => hint.textContent()).toContain("this is your own account: this session ends too");
    await page.goto(`${t.url}/admin/users/${(await userNamed("erin"))!.id}`);
    expect(await page.getByRole("form", { name: "set a new password for erin" }).locator(".hint").textContent()).not.toContain("your own account");
  });

  it("creates an API key with an expiry on the API keys page (refusals at the field, empty means never) and lists when each expires", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/api-keys`);
    const form = page.getByRole("form", { name: "create an API key" });
    await form.getByLabel("New key name").fill("short-lived");
    await form.getByLabel("Expires in (days)").fill("0");
    await form.getByRole("button", { name: "Create key" }).click();
    expect(await fieldProblem(form, "Expires in (days)")).toContain("must be at least 1 day");
    // Text that is not a number is refused, not read as "never".
    await typeInto(page, form.getByLabel("Expires in (days)"), "ten");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#key-expiresInDays-error").textContent()).toContain("must be a number of days");
    await typeInto(page, form.getByLabel("Expires in (days)"), "3651");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#key-expiresInDays-error").textContent()).toContain("at most 3650 days");
    expect(await keysNamed("short-lived")).toEqual([]);

    await typeInto(page, form.getByLabel("Expires in (days)"), "30");
    const before = Date.now();
    await page.keyboard.press("Enter");
    const secret = (await page.getByRole("status").filter({ hasText: "Key short-lived created" }).locator("code").textContent())!;
    const after = Date.now();
    const [key] = await keysNamed("short-lived");
    const expires = Date.parse(key!.expiresAt!);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * DAY_MS - 5_000);
    expect(expires).toBeLessThanOrEqual(after + 30 * DAY_MS + 5_000);
    expect((await t.client(secret).call("me", {})).name).toBe("admin");
    const row = page.getByRole("row").filter({ hasText: "short-lived" });
    expect(await row.locator("td").nth(4).locator("time").getAttribute("datetime")).toBe(key!.expiresAt);
    expect(await form.getByLabel("Expires in (days)").inputValue()).toBe("");

    await form.getByLabel("New key name").fill("forever");
    await form.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("status").filter({ hasText: "Key forever created" }).waitFor();
    expect((await keysNamed("forever"))[0]!.expiresAt).toBeNull();
    expect(await page.getByRole("row").filter({ hasText: "forever" }).locator("td").nth(4).textContent()).toBe("never");
    await expectA11yClean(page, "api-keys-expiry");
    await page.getByRole("button", { name: "Done" }).click();
  });

  it("creates a key for another user on their page: its secret is shown once and it acts as that user", async () => {
    const { t, page } = web;
    const erinId = (await userNamed("erin"))!.id;
    await page.goto(`${t.url}/admin/users/${erinId}`);
    const keys = page.getByRole("region", { name: "API keys" });
    const form = keys.getByRole("form", { name: "create a key for erin" });
    await form.getByLabel("New key name").fill(" ci");
    await form.getByRole("button", { name: "Create a key for erin" }).click();
    expect(await fieldProblem(form, "New key name")).toContain("must not start or end with white space");
    expect(await keysNamed(" ci")).toEqual([]);
    await typeInto(page, form.getByLabel("New key name"), "erin-ci");
    await typeInto(page, form.getByLabel("Expires in (days)"), "7");
    await page.keyboard.press("Enter");
    const once = keys.getByRole("status").filter({ hasText: "Key erin-ci created for erin" });
    const secret = (await once.locator("code").textContent())!;
    expect(await t.client(secret).call("me", {})).toMatchObject({ kind: "user", id: erinId, name: "erin" });
    const [key] = await keysNamed("erin-ci");
    expect(key).toMatchObject({ userId: erinId });
    expect(Math.abs(Date.parse(key!.expiresAt!) - (Date.now() + 7 * DAY_MS))).toBeLessThan(120_000);
    await keys.getByRole("row").filter({ hasText: "erin-ci" }).locator("time[datetime]").last().waitFor();
    expect(await keys.getByRole("row").filter({ hasText: "erin-ci" }).locator("time").last().getAttribute("datetime")).toBe(key!.expiresAt);
    await expectA11yClean(page, "user-create-key");
    await once.getByRole("button", { name: "Done" }).click();
    await page.reload();
    await keys.getByRole("row").filter({ hasText: "erin-ci" }).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it("gives a space admin none of these controls, and the API refuses them", async () => {
    const { t, given: { spaceAdminKey } } = web;
    const erinId = (await userNamed("erin"))!.id;
    const p = await web.pageAs({ apiKey: spaceAdminKey });
    await p.goto(`${t.url}/admin`);
    await p.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    expect(await p.getByRole("form", { name: "create a user" }).count()).toBe(0);
    await p.goto(`${t.url}/admin/users/${erinId}`);
    await p.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    expect(await p.getByRole("button", { name: /Set a new password|Create a key for|Save display name/ }).count()).toBe(0);
    await p.context().close();

    const asSpaceAdmin = t.client(spaceAdminKey);
    expect((await failure(asSpaceAdmin.call("updateUser", { params: { id: erinId }, body: { password: "taken-over-password" } }))).status).toBe(403);
    expect((await failure(asSpaceAdmin.call("updateUser", { params: { id: erinId }, body: { displayName: "Mallory" } }))).status).toBe(403);
    expect((await failure(asSpaceAdmin.call("createUser", { body: { username: "sneaky", displayName: "Sneaky", password: "sneaky-password-1" } }))).status).toBe(403);
    expect((await failure(asSpaceAdmin.call("createApiKey", { body: { name: "as-erin", userId: erinId } }))).status).toBe(403);
    expect(await keysNamed("as-erin")).toEqual([]);
    expect((await t.admin.call("getUser", { params: { id: erinId } })).displayName).toBe("Erin E. Example");
    expect((await t.client().call("login", { body: { username: "erin", password: "erin-second-password" } })).user.id).toBe(erinId);
  });
});
