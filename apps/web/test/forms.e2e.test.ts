/**
 * Create and edit forms of the web UI, in Debian's headless chromium against a real server: the
 * server's validation shown next to the field it names, create, edit and delete (deletion
 * protection respected), write-only values never shown back, and no buttons for a role that may
 * not use them (the API refusing as well).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startTestServer, userWithRole, type TestServer } from "../../server/test/harness.js";
import { ensureWebBuild, launchChromium, logInThroughPage, screenshot, seriousA11yViolations } from "./browser.js";

async function axeBothSchemes(page: Page, name: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousA11yViolations(page), `${name} (${scheme})`).toEqual([]);
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** The message shown next to a field, found through the field's aria-describedby. */
async function fieldProblem(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  expect(await field.getAttribute("aria-invalid")).toBe("true");
  const ids = (await field.getAttribute("aria-describedby"))!.split(" ");
  return (await page.locator(`[id="${ids.find((i) => i.endsWith("-error"))}"]`).textContent())!;
}

describe("web UI forms", () => {
  let t: TestServer;
  let browser: Browser;
  let writer: Page;
  let reader: { key: string };
  let writerKey: string;

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestServer("sqlite");
    await t.admin.call("createSpace", { body: { id: "team", name: "team", inheritEntities: true } });
    await t.admin.call("createSpace", { body: { id: "elsewhere", name: "elsewhere" } });
    writerKey = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
    reader = await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }]);
    await t.admin.call("createStack", { body: { id: "existing", name: "existing", spaceId: "team", repository: "/srv/infra.git" } });
    browser = await launchChromium();
    writer = await (await browser.newContext()).newPage();
    await logInThroughPage(writer, t.url, { apiKey: writerKey });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  describe("stacks", () => {
    it("creates a stack, showing the server's refusals next to their fields first", async () => {
      const page = writer;
      await page.goto(`${t.url}/stacks`);
      await page.getByRole("link", { name: "New stack" }).click();
      await page.waitForURL(`${t.url}/new/stack`);
      // Only the spaces where the person may write are offered.
      expect(await page.getByLabel("Space").locator("option").allTextContents()).toEqual(["team"]);
      await page.getByLabel("Name").fill("billing api");
      await page.getByLabel("Repository").fill("https://git.example.com/billing.git");
      await page.getByLabel("Branch").fill("bad branch");
      await page.getByLabel("Version", { exact: true }).fill("latest");
      await page.getByLabel("Labels").fill("payments, prod");
      await page.getByRole("button", { name: "Create stack" }).click();
      await page.getByRole("alert").filter({ hasText: "Not saved." }).waitFor();
      expect(await page.getByRole("alert").filter({ hasText: "Not saved." }).textContent()).toContain("2 fields need attention");
      expect(await fieldProblem(page, "Branch")).toContain("must be a valid git branch name");
      expect(await fieldProblem(page, "Version")).toContain("must be an exact version such as 1.11.4");
      expect(await page.getByLabel("Name").getAttribute("aria-invalid")).toBeNull();
      await axeBothSchemes(page, "new-stack-refused");
      await page.getByLabel("Branch").fill("main");
      await page.getByLabel("Version", { exact: true }).fill("1.11.4");
      await page.getByLabel(/Autodeploy \(apply/).check();
      await page.getByRole("button", { name: "Create stack" }).click();
      await page.waitForURL(`${t.url}/stacks/billing-api`);
      const s = await t.admin.call("getStack", { params: { id: "billing-api" } });
      expect(s).toMatchObject({ name: "billing api", spaceId: "team", branch: "main", terraformVersion: "1.11.4", labels: ["payments", "prod"], autodeploy: true, workerPoolId: null });
    });

    it("edits a stack's settings and its environment, showing a write-only value as write-only", async () => {
      const page = writer;
      await page.goto(`${t.url}/stacks/billing-api`);
      await page.getByRole("link", { name: "Settings" }).click();
      await page.waitForURL(`${t.url}/stacks/billing-api/settings`);
      await page.getByLabel("Description").fill("charges the customers");
      await page.getByLabel("Project root").fill("../escape");
      await page.getByRole("button", { name: "Save settings" }).click();
      expect(await (async () => { await page.getByRole("alert").filter({ hasText: "Not saved." }).waitFor(); return fieldProblem(page, "Project root"); })()).toContain("must be a relative path");
      await page.getByLabel("Project root").fill("services/billing");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      expect(await t.admin.call("getStack", { params: { id: "billing-api" } })).toMatchObject({ description: "charges the customers", projectRoot: "services/billing" });

      const env = page.getByRole("region", { name: "Environment of the stack" });
      await env.getByLabel("Variable name").fill("1BAD");
      await env.getByLabel("Value").fill("x");
      await env.getByRole("button", { name: "Save variable" }).click();
      expect(await fieldProblem(page, "Variable name")).toContain("must be a valid environment variable name");
      await env.getByLabel("Variable name").fill("STRIPE_KEY");
      await env.getByLabel("Value").fill("sk_live_never_shown_4242");
      await env.getByLabel(/Write-only \(a secret/).check();
      expect(await env.getByLabel("Value").getAttribute("type")).toBe("password");
      await env.getByRole("button", { name: "Save variable" }).click();
      const row = env.getByRole("row", { name: /STRIPE_KEY/ });
      await expect.poll(() => row.textContent()).toContain("write-only (checksum");
      expect(await page.content()).not.toContain("sk_live_never_shown_4242");
      await env.getByLabel("Path in the workspace").fill("config/app.json");
      await env.getByLabel("File content").fill('{"tier": "gold"}');
      await env.getByRole("button", { name: "Save file" }).click();
      await expect.poll(() => env.getByRole("row", { name: /config\/app\.json/ }).textContent()).toContain("16 bytes");
      const config = await t.admin.call("stackConfig", { params: { id: "billing-api" } });
      expect(config.variables).toMatchObject([{ name: "STRIPE_KEY", writeOnly: true, value: null }]);
      expect(Buffer.from(config.files[0]!.content!, "base64").toString()).toBe('{"tier": "gold"}');
      // Replacing a write-only variable starts from an empty value: the secret is not in the page.
      await env.getByRole("button", { name: "Replace STRIPE_KEY" }).click();
      expect(await env.getByLabel("Value").inputValue()).toBe("");
      await axeBothSchemes(page, "stack-settings");
    });

    it("respects deletion protection, then deletes the stack", async () => {
      const page = writer;
      await page.goto(`${t.url}/stacks/billing-api/settings`);
      await page.getByLabel("Protect from deletion").check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("Deletion protection is on").waitFor();
      expect(await page.getByRole("button", { name: "Delete stack" }).count()).toBe(0);
      // The API refuses too, whoever asks.
      expect((await failure(t.client(writerKey).call("deleteStack", { params: { id: "billing-api" } }))).message).toContain("protected from deletion");
      await page.getByLabel("Protect from deletion").uncheck();
      await page.getByRole("button", { name: "Save settings" }).click();
      const confirm = page.getByLabel(/Type the stack's id/);
      await confirm.waitFor();
      expect(await page.getByRole("button", { name: "Delete stack" }).isDisabled()).toBe(true);
      await confirm.fill("billing-api");
      await page.getByRole("button", { name: "Delete stack" }).click();
      await page.waitForURL(`${t.url}/stacks`);
      expect((await failure(t.admin.call("getStack", { params: { id: "billing-api" } }))).status).toBe(404);
    });

    it("gives a reader no create or settings buttons, and the API refuses the reader", async () => {
      const p = await (await browser.newContext()).newPage();
      await logInThroughPage(p, t.url, { apiKey: reader.key });
      await p.goto(`${t.url}/stacks`);
      await p.getByRole("link", { name: "existing" }).waitFor();
      expect(await p.getByRole("link", { name: "New stack" }).count()).toBe(0);
      await p.goto(`${t.url}/stacks/existing`);
      await p.getByText("You can read this stack").waitFor();
      expect(await p.getByRole("link", { name: "Settings" }).count()).toBe(0);
      await p.goto(`${t.url}/stacks/existing/settings`);
      await p.getByRole("alert").filter({ hasText: "needs the write role in space team" }).waitFor();
      expect(await p.getByRole("button", { name: "Save settings" }).count()).toBe(0);
      expect((await failure(t.client(reader.key).call("updateStack", { params: { id: "existing" }, body: { description: "x" } }))).status).toBe(403);
      expect((await failure(t.client(reader.key).call("createStack", { body: { name: "sneaky", spaceId: "team", repository: "/srv/x.git" } }))).status).toBe(403);
      await p.context().close();
    });
  });
});
