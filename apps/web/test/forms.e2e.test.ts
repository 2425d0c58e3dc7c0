/**
 * Create and edit forms of the web UI, in Debian's headless chromium against a real server: the
 * server's validation shown next to the field it names, create, edit and delete (deletion
 * protection respected), write-only values never shown back, and no buttons for a role that may
 * not use them (the API refusing as well).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("web UI forms", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team", inheritEntities: true } });
      await t.admin.call("createSpace", { body: { id: "elsewhere", name: "elsewhere" } });
      const writerKey = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
      const reader = await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }]);
      await t.admin.call("createStack", { body: { id: "existing", name: "existing", spaceId: "team", repository: "/srv/infra.git" } });
      return { writerKey, reader };
    },
    logInAs: (_t, given) => ({ apiKey: given.writerKey }),
  });

  describe("stacks", () => {
    it("creates a stack, showing the server's refusals next to their fields first", async () => {
      const { t, page } = web;
      await page.goto(`${t.url}/stacks`);
      await page.getByRole("link", { name: "New stack" }).click();
      await page.waitForURL(`${t.url}/new/stack`);
      // Only the spaces where the person may write are offered.
      await expect.poll(() => page.getByLabel("Space").locator("option").allTextContents()).toEqual(["team"]);
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
      await expectA11yClean(page, "new-stack-refused");
      await page.getByLabel("Branch").fill("main");
      await page.getByLabel("Version", { exact: true }).fill("1.11.4");
      await page.getByLabel(/Autodeploy \(apply/).check();
      await page.getByRole("button", { name: "Create stack" }).click();
      await page.waitForURL(`${t.url}/stacks/billing-api`);
      const s = await t.admin.call("getStack", { params: { id: "billing-api" } });
      expect(s).toMatchObject({ name: "billing api", spaceId: "team", branch: "main", terraformVersion: "1.11.4", labels: ["payments", "prod"], autodeploy: true, workerPoolId: null });
    });

    it("edits a stack's settings and its environment, showing a write-only value as write-only", async () => {
      const { t, page } = web;
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
      await expectA11yClean(page, "stack-settings");
    });

    it("respects deletion protection, then deletes the stack", async () => {
      const { t, page, given: { writerKey } } = web;
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
      const { t, given: { reader } } = web;
      const p = await web.pageAs({ apiKey: reader.key });
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

  describe("contexts, AWS integrations and webhooks (a team admin)", () => {
    let page: Page;
    beforeAll(async () => {
      const key = (await userWithRole(web.t, "team-admin", [{ spaceId: "team", role: "admin" }])).key;
      page = await web.pageAs({ apiKey: key });
    }, 120_000);

    it("creates a context, sets a write-only variable and a file, edits it and its hooks, and deletes it", async () => {
      const { t } = web;
      await page.goto(`${t.url}/contexts`);
      await page.getByRole("link", { name: "New context" }).click();
      await page.waitForURL(`${t.url}/new/context`);
      await page.getByLabel("Name").fill("payments shared");
      await page.getByLabel("Id (optional)").fill("Not A Slug");
      await page.getByRole("button", { name: "Create context" }).click();
      expect(await fieldProblem(page, "Id (optional)")).toContain("must be a lowercase slug");
      await page.getByLabel("Id (optional)").fill("payments-shared");
      await page.getByLabel("Labels").fill("autoattach:payments");
      await page.getByRole("button", { name: "Create context" }).click();
      await page.waitForURL(`${t.url}/contexts/payments-shared`);
      const env = page.getByRole("region", { name: "Environment" });
      await env.getByLabel("Variable name").fill("DB_PASSWORD");
      await env.getByLabel("Value").fill("context-secret-9931");
      await env.getByLabel(/Write-only \(a secret/).check();
      await env.getByRole("button", { name: "Save variable" }).click();
      await expect.poll(() => env.getByRole("row", { name: /DB_PASSWORD/ }).textContent()).toContain("write-only");
      await env.getByLabel("Path in the workspace").fill("/etc/passwd");
      await env.getByLabel("File content").fill("x");
      await env.getByRole("button", { name: "Save file" }).click();
      expect(await fieldProblem(page, "Path in the workspace")).toContain("relative path");
      await env.getByLabel("Path in the workspace").fill("certs/ca.pem");
      await env.getByLabel("Write-only file").check();
      await env.getByRole("button", { name: "Save file" }).click();
      await expect.poll(() => env.getByRole("row", { name: /certs\/ca\.pem/ }).textContent()).toContain("write-only");
      await page.reload();
      await page.getByRole("row", { name: /DB_PASSWORD/ }).waitFor();
      expect(await page.content()).not.toContain("context-secret-9931");
      await page.getByLabel("Description").fill("shared by the payment stacks");
      // Hooks run in every stack the context is attached to, before the stack's own.
      await page.getByText("Hooks (none)").click();
      await page.getByLabel("Before init").fill("echo from-context\n\n  ./check.sh  ");
      await page.getByRole("button", { name: "Save context" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      expect(await t.admin.call("getContext", { params: { id: "payments-shared" } })).toMatchObject({
        description: "shared by the payment stacks", spaceId: "team", labels: ["autoattach:payments"], hooks: { beforeInit: ["echo from-context", "./check.sh"], afterRun: [] },
      });
      await page.reload();
      await expect.poll(() => page.getByLabel("Before init").inputValue()).toBe("echo from-context\n./check.sh");
      expect(await page.getByText("Hooks (1 phase)").count()).toBe(1);
      await expectA11yClean(page, "context-edit");
      await page.getByRole("button", { name: "Delete context…" }).click();
      await page.getByRole("button", { name: "Delete payments shared now" }).click();
      await page.waitForURL(`${t.url}/contexts`);
      expect((await failure(t.admin.call("getContext", { params: { id: "payments-shared" } }))).status).toBe(404);
    });

    it("creates, edits and deletes an AWS integration", async () => {
      const { t } = web;
      await page.goto(`${t.url}/integrations`);
      await page.getByRole("link", { name: "New AWS integration" }).click();
      await page.getByLabel("Name").fill("deployer");
      await page.getByLabel("Role ARN").fill("arn:aws:iam::12:role/x");
      await page.getByLabel("Session duration (seconds)").fill("60");
      await page.getByLabel("Region").fill("mars-1");
      await page.getByRole("button", { name: "Create integration" }).click();
      expect(await fieldProblem(page, "Role ARN")).toContain("must be an IAM role ARN");
      expect(await fieldProblem(page, "Session duration (seconds)")).toMatch(/900|greater/);
      expect(await fieldProblem(page, "Region")).toContain("must be an AWS region name");
      await expectA11yClean(page, "new-aws-integration-refused");
      await page.getByLabel("Role ARN").fill("arn:aws:iam::123456789012:role/deployer");
      await page.getByLabel("Session duration (seconds)").fill("1800");
      await page.getByLabel("Region").fill("eu-west-1");
      await page.getByRole("button", { name: "Create integration" }).click();
      await page.waitForURL(`${t.url}/integrations`);
      await page.getByRole("link", { name: "deployer" }).click();
      await page.getByLabel("External id").fill("acme-42");
      await page.getByRole("button", { name: "Save integration" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      expect(await t.admin.call("getAwsIntegration", { params: { id: "deployer" } })).toMatchObject({ spaceId: "team", roleArn: "arn:aws:iam::123456789012:role/deployer", durationSeconds: 1800, region: "eu-west-1", externalId: "acme-42" });
      page.once("dialog", (d) => void d.accept());
      await page.getByRole("button", { name: "Delete integration" }).click();
      await page.waitForURL(`${t.url}/integrations`);
      expect((await failure(t.admin.call("getAwsIntegration", { params: { id: "deployer" } }))).status).toBe(404);
    });

    it("creates a webhook with a write-only secret, rotates it and deletes it", async () => {
      const { t } = web;
      await page.goto(`${t.url}/notifications`);
      await page.getByRole("link", { name: "New webhook" }).click();
      await page.getByLabel("Name").fill("audit sink");
      await page.getByLabel("Endpoint URL").fill("ftp://example.com");
      await page.getByLabel("Signing secret (optional)").fill("short");
      await page.getByRole("button", { name: "Create webhook" }).click();
      expect(await fieldProblem(page, "Endpoint URL")).toContain("must be an http(s) URL");
      expect(await fieldProblem(page, "Signing secret (optional)")).toContain("at least 16 bytes");
      await page.getByLabel("Endpoint URL").fill("https://hooks.example.com/gantry");
      await page.getByLabel("Signing secret (optional)").fill("webhook-secret-0123456789abcdef");
      await page.getByRole("button", { name: "Create webhook" }).click();
      await page.waitForURL(/\/webhooks\/[a-z0-9-]+$/);
      const id = page.url().split("/").at(-1)!;
      const stored = await t.admin.call("getWebhook", { params: { id } });
      expect(stored).toMatchObject({ spaceId: "team", endpoint: "https://hooks.example.com/gantry", enabled: true });
      expect(stored.secretChecksum).toBeTruthy();
      const secretField = page.getByLabel("New signing secret (leave empty to keep the current one)");
      expect(await secretField.inputValue()).toBe("");
      expect(await page.content()).not.toContain("webhook-secret-0123456789abcdef");
      expect(await page.getByText(`checksum is ${stored.secretChecksum}`).count()).toBe(1);
      // Saving without a secret keeps it; a new one rotates it.
      await page.getByLabel("Enabled").uncheck();
      await page.getByRole("button", { name: "Save webhook" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      expect(await t.admin.call("getWebhook", { params: { id } })).toMatchObject({ enabled: false, secretChecksum: stored.secretChecksum });
      await secretField.fill("another-secret-0123456789abcdef");
      await page.getByRole("button", { name: "Save webhook" }).click();
      await expect.poll(async () => (await t.admin.call("getWebhook", { params: { id } })).secretChecksum).not.toBe(stored.secretChecksum);
      await expectA11yClean(page, "webhook-edit");
      page.once("dialog", (d) => void d.accept());
      await page.getByRole("button", { name: "Delete webhook" }).click();
      await page.waitForURL(`${t.url}/notifications`);
      expect((await failure(t.admin.call("getWebhook", { params: { id } }))).status).toBe(404);
    });

    it("creates a webhook with a binary secret given as base64 (refused at its field when not base64) and rotates it with another", async () => {
      const { t } = web;
      const checksumOf = (base64: string) => createHash("sha256").update(Buffer.from(base64, "base64")).digest("hex").slice(0, 16);
      const first = randomBytes(32).toString("base64");
      await page.goto(`${t.url}/new/webhook`);
      await expect.poll(() => page.getByLabel("Space").locator("option").allTextContents()).toContain("team");
      await page.getByLabel("Name").fill("binary sink");
      await page.getByLabel("Endpoint URL").fill("https://hooks.example.com/binary");
      await page.getByLabel("The secret is base64 of raw bytes").check();
      await page.getByLabel("Signing secret (optional)").fill("not base64 at all!");
      await page.getByRole("button", { name: "Create webhook" }).click();
      expect(await fieldProblem(page, "Signing secret (optional)")).toMatch(/base64/i);
      expect((await t.admin.call("listWebhooks", { query: {} })).items.map((w) => w.name)).not.toContain("binary sink");
      await expectA11yClean(page);
      await page.getByLabel("Signing secret (optional)").fill(first);
      await page.getByRole("button", { name: "Create webhook" }).click();
      await page.waitForURL(/\/webhooks\/binary-sink$/);
      expect(await t.admin.call("getWebhook", { params: { id: "binary-sink" } })).toMatchObject({ endpoint: "https://hooks.example.com/binary", secretChecksum: checksumOf(first) });
      // The text secret with the same characters would have another checksum: the bytes were decoded.
      expect(checksumOf(first)).not.toBe(createHash("sha256").update(first).digest("hex").slice(0, 16));

      const second = randomBytes(24).toString("base64");
      await page.getByLabel("New signing secret (leave empty to keep the current one)").waitFor();
      await page.getByLabel("The secret is base64 of raw bytes").check();
      await page.getByLabel("New signing secret (leave empty to keep the current one)").fill(second);
      await page.getByRole("button", { name: "Save webhook" }).click();
      await expect.poll(async () => (await t.admin.call("getWebhook", { params: { id: "binary-sink" } })).secretChecksum).toBe(checksumOf(second));
      await page.getByText(`checksum is ${checksumOf(second)}`).waitFor();
      expect(await page.content()).not.toContain(second);
      await expectA11yClean(page);
    });

    it("gives a writer (not an admin) no create buttons for contexts, integrations or webhooks", async () => {
      const { t, page: writer, given: { writerKey } } = web;
      for (const [path, name] of [["/contexts", "New context"], ["/integrations", "New AWS integration"], ["/notifications", "New webhook"]] as const) {
        await writer.goto(`${t.url}${path}`);
        await writer.getByRole("heading", { level: 1 }).waitFor();
        await writer.waitForLoadState("networkidle");
        expect(await writer.getByRole("link", { name }).count(), path).toBe(0);
      }
      expect((await failure(t.client(writerKey).call("createContext", { body: { name: "x", spaceId: "team" } }))).status).toBe(403);
    });
  });
});
