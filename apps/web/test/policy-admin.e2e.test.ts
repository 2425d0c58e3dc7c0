/**
 * Creating and deleting policies in Debian's headless chromium against a real server: the
 * server's compile errors shown with the body field, the new policy's page, deletion, and no
 * buttons for someone who is not an admin of a space (the API refusing as well).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startTestServer, userWithRole, type TestServer } from "../../server/test/harness.js";
import { ensureWebBuild, launchChromium, logInThroughPage, screenshot, seriousA11yViolations } from "./browser.js";

describe("web UI: creating and deleting policies", () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let writerKey: string;

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

  it("creates a policy after the server's compile error is shown, then deletes it", async () => {
    await page.goto(`${t.url}/policies`);
    await page.getByRole("link", { name: "New policy" }).click();
    await page.waitForURL(`${t.url}/new/policy`);
    await expect.poll(() => page.getByLabel("Space").locator("option").allTextContents()).toEqual(["team"]);
    await page.getByLabel("Name").fill("no deletes");
    await page.getByLabel("Labels").fill("autoattach:prod");
    await page.getByLabel("Body (Rego)").fill('package spacelift\n\ndeny contains msg if {\n  msg := "deleting"\n');
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByRole("alert").filter({ hasText: "Not saved." }).waitFor();
    // The compile error is shown with the body field it is about.
    const body = page.getByLabel("Body (Rego)");
    expect(await body.getAttribute("aria-invalid")).toBe("true");
    const errorId = (await body.getAttribute("aria-describedby"))!.split(" ").find((i) => i.endsWith("-error"))!;
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toMatch(/rego_parse_error|unexpected|line \d/i);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousA11yViolations(page), scheme).toEqual([]);
      await screenshot(page, `new-policy-refused-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByLabel("Body (Rego)").fill('package spacelift\n\ndeny contains msg if {\n  some r in input.terraform.resource_changes\n  r.change.actions[_] == "delete"\n  msg := sprintf("deletes %s", [r.address])\n}\n');
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.waitForURL(`${t.url}/policies/no-deletes`);
    expect(await t.admin.call("getPolicy", { params: { id: "no-deletes" } })).toMatchObject({ name: "no deletes", type: "PLAN", spaceId: "team", labels: ["autoattach:prod"] });
    await page.getByRole("button", { name: "Delete policy" }).click();
    await page.waitForURL(`${t.url}/policies`);
    expect((await failure(t.admin.call("getPolicy", { params: { id: "no-deletes" } }))).status).toBe(404);
  });

  it("gives a writer no create or delete buttons, and the API refuses the writer", async () => {
    await t.admin.call("createPolicy", { body: { id: "kept", name: "kept", type: "PLAN", spaceId: "team", body: "package spacelift\n" } });
    const p = await (await browser.newContext()).newPage();
    await logInThroughPage(p, t.url, { apiKey: writerKey });
    await p.goto(`${t.url}/policies`);
    await p.getByRole("link", { name: "kept" }).waitFor();
    expect(await p.getByRole("link", { name: "New policy" }).count()).toBe(0);
    await p.goto(`${t.url}/policies/kept`);
    await p.getByText("Changing a policy needs the admin role in space team").waitFor();
    expect(await p.getByRole("button", { name: "Delete policy" }).count()).toBe(0);
    await p.goto(`${t.url}/new/policy`);
    await p.getByRole("alert").filter({ hasText: "needs the admin role in a space" }).waitFor();
    expect((await failure(t.client(writerKey).call("createPolicy", { body: { name: "sneaky", type: "PLAN", spaceId: "team", body: "package spacelift\n" } }))).status).toBe(403);
    expect((await failure(t.client(writerKey).call("deletePolicy", { params: { id: "kept" } }))).status).toBe(403);
    await p.context().close();
  });
});
