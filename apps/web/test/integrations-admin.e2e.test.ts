/**
 * Integration administration in Debian's headless chromium against a real server: a root admin
 * rotates the OIDC signing keys (confirmed; a bad overlap refused at its field), a space admin
 * gets no rotate button and the API refuses them as well.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, seriousA11yViolations, webSession } from "./browser.js";

describe("web UI: integrations administration", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
    },
    acceptDialogs: true,
  });

  it("rotates the OIDC signing keys after a confirmation, refusing a bad overlap at its field", async () => {
    const { t, page } = web;
    const before = (await t.admin.call("listOidcKeys", {})).items;
    await page.goto(`${t.url}/integrations`);
    const form = page.getByRole("form", { name: "rotate the signing keys" });
    await form.getByLabel("Overlap (seconds, optional)").fill("99999");
    await form.getByRole("button", { name: "Rotate signing keys" }).click();
    expect(await fieldProblem(form, "Overlap (seconds, optional)")).toMatch(/43200/);
    expect((await t.admin.call("listOidcKeys", {})).items).toEqual(before);
    await form.getByLabel("Overlap (seconds, optional)").fill("600");
    await form.getByRole("button", { name: "Rotate signing keys" }).click();
    await form.getByRole("status").filter({ hasText: "Rotated." }).waitFor();
    const after = (await t.admin.call("listOidcKeys", {})).items;
    const current = after.filter((k) => !k.retiredAt).map((k) => k.kid);
    expect(current.length).toBeGreaterThan(0);
    expect(current.some((kid) => before.some((k) => k.kid === kid))).toBe(false);
    await page.getByRole("cell", { name: current[0]! }).waitFor();
    await expectA11yClean(page);
  });

  it("connects Slack with a write-only bot token (refused at its field when malformed) and disconnects it", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/notifications`);
    const form = page.getByRole("form", { name: "connect Slack" });
    await form.getByLabel("Name").fill("ops");
    await form.getByLabel("Space").selectOption("team");
    await form.getByLabel("Bot token").fill("not-a-token");
    await form.getByRole("button", { name: "Connect Slack" }).click();
    expect(await fieldProblem(form, "Bot token")).toContain("must be a Slack bot token");
    expect((await t.admin.call("listSlackIntegrations", {})).items).toEqual([]);
    await form.getByLabel("Bot token").fill("xoxb-1234-secret-value");
    await form.getByRole("button", { name: "Connect Slack" }).click();
    const disconnect = page.getByRole("button", { name: "Disconnect ops" });
    await disconnect.waitFor();
    const [slack] = (await t.admin.call("listSlackIntegrations", {})).items;
    expect(slack).toMatchObject({ name: "ops", spaceId: "team" });
    expect(slack!.botTokenChecksum).toBeTruthy();
    expect(await form.getByLabel("Bot token").inputValue()).toBe("");
    expect(await page.content()).not.toContain("secret-value");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await disconnect.click();
    await disconnect.waitFor({ state: "detached" });
    expect((await t.admin.call("listSlackIntegrations", {})).items).toEqual([]);
  });

  it("creates a GitHub integration with write-only secrets (a missing webhook secret refused at its field), rotates its token and deletes it", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/integrations`);
    const form = page.getByRole("form", { name: "new VCS integration" });
    await form.getByLabel("Name").fill("github");
    await form.getByLabel("Space").selectOption("team");
    await form.getByRole("button", { name: "Create VCS integration" }).click();
    expect(await fieldProblem(form, "Webhook secret")).toContain("needs the webhook secret");
    await form.getByLabel("Token (optional)").fill("ghp_first-token-value");
    await form.getByLabel("Webhook secret").fill("hook-secret-value");
    await form.getByRole("button", { name: "Create VCS integration" }).click();
    await page.getByText("Edit github").waitFor();
    const [vcs] = (await t.admin.call("listVcsIntegrations", { query: { limit: 100 } })).items;
    expect(vcs).toMatchObject({ name: "github", spaceId: "team", provider: "GITHUB" });
    expect(await page.content()).not.toMatch(/first-token-value|hook-secret-value/);
    await page.getByText("Edit github").click();
    const edit = page.getByRole("form", { name: `edit VCS integration ${vcs!.id}` });
    await edit.getByLabel("New token").fill("ghp_second-token-value");
    await edit.getByRole("button", { name: "Save github" }).click();
    await edit.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const rotated = await t.admin.call("getVcsIntegration", { params: { id: vcs!.id } });
    expect(rotated.tokenChecksum).not.toBe(vcs!.tokenChecksum);
    expect(rotated.webhookSecretChecksum).toBe(vcs!.webhookSecretChecksum);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Delete github" }).click();
    await page.getByText("No VCS integrations.").waitFor();
    expect((await t.admin.call("listVcsIntegrations", { query: { limit: 100 } })).items).toEqual([]);
  });

  it("gives a space admin no rotate button, and the API refuses them", async () => {
    const { t } = web;
    const key = (await userWithRole(t, "space-admin", [{ spaceId: "team", role: "admin" }])).key;
    const p = await web.pageAs({ apiKey: key });
    await p.goto(`${t.url}/integrations`);
    await p.getByText("Only root admins see the signing keys").waitFor();
    expect(await p.getByRole("button", { name: "Rotate signing keys" }).count()).toBe(0);
    expect((await failure(t.client(key).call("rotateOidcKeys", { body: {} }))).status).toBe(403);
    await p.context().close();
  });

  it("connects Slack under a chosen id, refusing a bad slug and a taken id at the id field; a writer gets no form and the API refuses them", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/notifications`);
    const form = page.getByRole("form", { name: "connect Slack" });
    await expect.poll(() => form.getByLabel("Space").locator("option").allTextContents()).toContain("team");
    await form.getByLabel("Space").selectOption("team");
    await form.getByLabel("Name").fill("Alerts");
    // Keyboard: the id field follows the name.
    await form.getByLabel("Name").press("Tab");
    expect(await page.locator("#slack-id:focus").count()).toBe(1);
    await page.keyboard.type("Ops Alerts");
    // The bot token is forgotten after every answer, so it is typed before each submit; Enter submits.
    const submit = async () => {
      await form.getByLabel("Bot token").fill("xoxb-1234-alerts-secret");
      await form.getByLabel("Bot token").press("Enter");
    };
    await submit();
    expect(await fieldProblem(form, "Id (optional)")).toContain("must be a lowercase slug");
    expect((await t.admin.call("listSlackIntegrations", {})).items).toEqual([]);
    await expectA11yClean(page);

    await form.getByLabel("Id (optional)").fill("ops-alerts");
    await submit();
    await page.getByRole("button", { name: "Disconnect Alerts" }).waitFor();
    expect((await t.admin.call("listSlackIntegrations", {})).items).toMatchObject([{ id: "ops-alerts", name: "Alerts", spaceId: "team", incomingWebhook: false }]);
    await page.getByRole("listitem").filter({ hasText: "id ops-alerts, space team" }).waitFor();
    expect(await form.getByLabel("Id (optional)").inputValue()).toBe("");

    await form.getByLabel("Name").fill("Alerts again");
    await form.getByLabel("Id (optional)").fill("ops-alerts");
    await submit();
    expect(await fieldProblem(form, "Id (optional)")).toBe('Slack integration "ops-alerts" already exists: pick another id');
    expect((await t.admin.call("listSlackIntegrations", {})).items.map((i) => i.name)).toEqual(["Alerts"]);
    expect(await page.content()).not.toContain("alerts-secret");
    await expectA11yClean(page);

    const writerKey = (await userWithRole(t, "slack-writer", [{ spaceId: "team", role: "write" }])).key;
    const p = await web.pageAs({ apiKey: writerKey });
    await p.goto(`${t.url}/notifications`);
    await p.getByRole("listitem").filter({ hasText: "id ops-alerts" }).waitFor();
    expect(await p.getByRole("form", { name: "connect Slack" }).count()).toBe(0);
    expect((await failure(t.client(writerKey).call("createSlackIntegration", { body: { id: "by-writer", name: "by writer", spaceId: "team", botToken: "xoxb-1-w" } }))).status).toBe(403);
    expect((await t.admin.call("listSlackIntegrations", {})).items.map((i) => i.id)).toEqual(["ops-alerts"]);
    await p.context().close();
  });

  it("connects Slack through another API URL, refusing one that is not a URL at its field; an incoming webhook has no API URL field", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/notifications`);
    const form = page.getByRole("form", { name: "connect Slack" });
    await expect.poll(() => form.getByLabel("Space").locator("option").allTextContents()).toContain("team");
    await form.getByLabel("Space").selectOption("team");
    await form.getByLabel("Name").fill("gov");
    await form.getByLabel("Slack API URL (optional)").fill("slack-gov.example/api");
    await form.getByLabel("Bot token").fill("xoxb-77-gov-secret");
    await form.getByRole("button", { name: "Connect Slack" }).click();
    expect(await fieldProblem(form, "Slack API URL (optional)")).toMatch(/URL/i);
    expect((await t.admin.call("listSlackIntegrations", {})).items.map((i) => i.id)).toEqual(["ops-alerts"]);
    await expectA11yClean(page);

    await form.getByLabel("Slack API URL (optional)").fill("https://slack-gov.example/api");
    await form.getByLabel("Bot token").fill("xoxb-77-gov-secret");
    await form.getByRole("button", { name: "Connect Slack" }).click();
    await page.getByRole("button", { name: "Disconnect gov" }).waitFor();
    expect((await t.admin.call("listSlackIntegrations", {})).items.find((i) => i.id === "gov")).toMatchObject({ name: "gov", spaceId: "team", apiBaseUrl: "https://slack-gov.example/api" });
    await page.getByRole("listitem").filter({ hasText: "API https://slack-gov.example/api" }).waitFor();
    expect(await form.getByLabel("Slack API URL (optional)").inputValue()).toBe("");

    await form.getByLabel("Connect with").selectOption("incomingWebhookUrl");
    await form.getByLabel("Incoming webhook URL").waitFor();
    expect(await form.getByLabel("Slack API URL (optional)").count()).toBe(0);
  });
});
