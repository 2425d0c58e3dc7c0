/**
 * Worker pool administration in Debian's headless chromium against a real server: create (the
 * token shown once, and it works for the worker protocol), reset the token (the old one refused),
 * delete (refused while a stack uses the pool), and no buttons for a writer (the API refusing too).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startTestServer, userWithRole, type TestServer } from "../../server/test/harness.js";
import { ensureWebBuild, launchChromium, logInThroughPage, screenshot, seriousA11yViolations } from "./browser.js";

describe("web UI: worker pools", () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let writerKey: string;

  const register = (token: string) => t.raw("POST", "/api/v1/worker/register", { token, body: JSON.stringify({ name: "w1" }) });

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestServer("sqlite");
    await t.admin.call("createSpace", { body: { id: "team", name: "team", inheritEntities: true } });
    const admin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
    writerKey = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.on("dialog", (d) => void d.accept());
    await logInThroughPage(page, t.url, { apiKey: admin.key });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it("creates a pool with its token shown once, resets the token and deletes the pool", async () => {
    await page.goto(`${t.url}/worker-pools`);
    const form = page.getByRole("form", { name: "new worker pool" });
    await form.getByLabel("Id (optional)").fill("Bad Id");
    await form.getByLabel("Name").fill("builders");
    await form.getByRole("button", { name: "Create worker pool" }).click();
    await expect.poll(() => form.getByLabel("Id (optional)").getAttribute("aria-invalid")).toBe("true");
    await form.getByLabel("Id (optional)").fill("builders");
    await form.getByRole("button", { name: "Create worker pool" }).click();
    const once = page.getByRole("status").filter({ hasText: "Token of pool builders" });
    const token = (await once.locator("code").last().textContent())!;
    expect(token).toMatch(/^gwp_/);
    expect((await register(token)).status).toBeLessThan(300);
    await page.getByRole("heading", { name: /builders \(builders, space team\)/ }).waitFor();
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousA11yViolations(page), scheme).toEqual([]);
      await screenshot(page, `worker-pools-admin-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await once.getByRole("button", { name: "Done" }).click();
    await page.reload();
    expect(await page.content()).not.toContain(token);

    await page.getByRole("button", { name: "Reset token of builders" }).click();
    const fresh = (await page.getByRole("status").filter({ hasText: "Token of pool builders" }).locator("code").last().textContent())!;
    expect(fresh).not.toBe(token);
    expect((await register(token)).status).toBe(401);
    expect((await register(fresh)).status).toBeLessThan(300);

    // A pool a stack uses is not deleted: the server says which stack.
    await t.admin.call("createStack", { body: { id: "uses-pool", name: "uses pool", spaceId: "team", repository: "/srv/x.git", workerPoolId: "builders" } });
    await page.getByRole("button", { name: "Delete builders" }).click();
    await page.getByRole("alert").filter({ hasText: "uses-pool" }).waitFor();
    await t.admin.call("deleteStack", { params: { id: "uses-pool" } });
    await page.getByRole("button", { name: "Delete builders" }).click();
    await page.getByRole("heading", { name: /builders \(builders/ }).waitFor({ state: "detached" });
    expect((await failure(t.admin.call("getWorkerPool", { params: { id: "builders" } }))).status).toBe(404);
  });

  it("gives a writer no create, reset or delete buttons, and the API refuses the writer", async () => {
    await t.admin.call("createWorkerPool", { body: { id: "kept", name: "kept", spaceId: "team" } });
    const p = await (await browser.newContext()).newPage();
    await logInThroughPage(p, t.url, { apiKey: writerKey });
    await p.goto(`${t.url}/worker-pools`);
    await p.getByRole("heading", { name: /kept \(kept, space team\)/ }).waitFor();
    expect(await p.getByRole("button", { name: /Create worker pool|Reset token|Delete/ }).count()).toBe(0);
    expect((await failure(t.client(writerKey).call("resetWorkerPoolToken", { params: { id: "kept" } }))).status).toBe(403);
    expect((await failure(t.client(writerKey).call("createWorkerPool", { body: { name: "sneaky", spaceId: "team" } }))).status).toBe(403);
    await p.context().close();
  });
});
