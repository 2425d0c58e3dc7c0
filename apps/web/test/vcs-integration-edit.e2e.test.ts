/**
 * A VCS integration after creation, in Debian's headless chromium against a real server: the
 * admin of its space (not root) changes its description, labels, API URL and webhook secret
 * from the keyboard; an API URL on an internal address is refused at its field by the server's
 * outbound guard, and nothing is saved; every field is read back through the API; a writer
 * gets no editor and the API refuses them.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, screenshot, webSession } from "./browser.js";

describe("web UI: editing a VCS integration", () => {
  const password = "correct horse battery";
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      await t.admin.call("createVcsIntegration", { body: { id: "github", name: "github", spaceId: "team", provider: "GITHUB", token: "ghp_first-token", webhookSecret: "first-hook-secret" } });
      await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
    },
    logInAs: () => ({ username: "team-admin", password }),
    acceptDialogs: true,
  });

  it("refuses an internal API URL at its field, then applies description, labels, API URL and a new webhook secret", async () => {
    const { t, page } = web;
    const before = await t.admin.call("getVcsIntegration", { params: { id: "github" } });
    await page.goto(`${t.url}/integrations`);
    // Keyboard only: focus the editor's summary, open it with Enter, Tab into its first field.
    const summary = page.getByText("Edit github");
    await summary.focus();
    await page.keyboard.press("Enter");
    const edit = page.getByRole("form", { name: "edit VCS integration github" });
    await edit.getByLabel("Name").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.locator("#vcs-github-name:focus").count()).toBe(1);
    await page.keyboard.press("Tab");
    await page.keyboard.type("the company's GitHub Enterprise");
    await page.keyboard.press("Tab");
    await page.keyboard.type("ghes, team:platform");
    await page.keyboard.press("Tab");
    expect(await edit.getByLabel("API URL").inputValue()).toBe("https://api.github.com");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("http://169.254.169.254/latest");
    await page.keyboard.press("Enter");
    const apiUrl = edit.getByLabel("API URL");
    const message = await fieldProblem(edit, "API URL");
    expect(message).toMatch(/outbound guard: address 169\.254\.169\.254 is loopback, private, link-local or reserved/);
    expect(await edit.getByRole("alert").textContent()).toMatch(/One field needs attention/);
    expect(await t.admin.call("getVcsIntegration", { params: { id: "github" } })).toEqual(before);
    await screenshot(page, "vcs-integration-refused-api-url");
    await expectA11yClean(page);

    await apiUrl.fill("https://ghes.invalid/api/v3");
    await edit.getByLabel("New webhook secret").fill("second-hook-secret");
    await edit.getByRole("button", { name: "Save github" }).click();
    await edit.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const after = await t.admin.call("getVcsIntegration", { params: { id: "github" } });
    expect(after).toMatchObject({ name: "github", description: "the company's GitHub Enterprise", labels: ["ghes", "team:platform"], apiBaseUrl: "https://ghes.invalid/api/v3", tokenChecksum: before.tokenChecksum });
    expect(after.webhookSecretChecksum).not.toBe(before.webhookSecretChecksum);
    expect(await edit.getByLabel("New webhook secret").inputValue()).toBe("");
    const row = page.getByRole("row").filter({ hasText: "https://ghes.invalid/api/v3" });
    await row.getByRole("paragraph").filter({ hasText: "the company's GitHub Enterprise" }).waitFor();
    await row.getByText(`webhook secret: checksum ${after.webhookSecretChecksum}`).waitFor();
    expect(await page.content()).not.toMatch(/second-hook-secret|first-hook-secret|first-token/);
    await expectA11yClean(page);
  });

  it("refuses an internal API URL at its field when creating, storing nothing", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/integrations`);
    const form = page.getByRole("form", { name: "new VCS integration" });
    await form.getByLabel("Name").fill("inside");
    await expect.poll(() => form.getByLabel("Space").locator("option").allTextContents()).toEqual(["team"]);
    await form.getByLabel("API URL (optional)").fill("https://10.0.0.7/api/v3");
    await form.getByLabel("Webhook secret").fill("inside-secret");
    await form.getByRole("button", { name: "Create VCS integration" }).click();
    expect(await fieldProblem(form, "API URL (optional)")).toMatch(/outbound guard: address 10\.0\.0\.7/);
    await form.getByText(/outbound guard: address 10\.0\.0\.7/).waitFor();
    expect((await t.admin.call("listVcsIntegrations", { query: {} })).items.map((i) => i.id)).toEqual(["github"]);
  });

  it("gives a writer of the space no editor, and the API refuses their change", async () => {
    const { t } = web;
    const writer = await userWithRole(t, "team-writer", [{ spaceId: "team", role: "write" }]);
    const p = await web.pageAs({ username: "team-writer", password });
    await p.goto(`${t.url}/integrations`);
    await p.getByRole("row").filter({ hasText: "ghes.invalid" }).waitFor();
    expect(await p.getByText("Edit github").count()).toBe(0);
    expect((await failure(t.client(writer.key).call("updateVcsIntegration", { params: { id: "github" }, body: { description: "by a writer" } }))).status).toBe(403);
    expect((await t.admin.call("getVcsIntegration", { params: { id: "github" } })).description).toBe("the company's GitHub Enterprise");
    await p.context().close();
  });

  it("creates one with a chosen id, description and labels from the keyboard; a bad slug, a taken id and a name whose id is taken refused at their field", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/integrations`);
    const form = page.getByRole("form", { name: "new VCS integration" });
    await expect.poll(() => form.getByLabel("Space").locator("option").allTextContents()).toEqual(["team"]);
    const ids = async () => (await t.admin.call("listVcsIntegrations", { query: {} })).items.map((i) => i.id).sort();
    // Keyboard only: Name, then Tab through the id, the description and the labels.
    await form.getByLabel("Name").focus();
    await page.keyboard.type("GitHub Enterprise");
    await page.keyboard.press("Tab");
    expect(await page.locator("#vcs-id:focus").count()).toBe(1);
    await page.keyboard.type("GHE Main");
    await page.keyboard.press("Tab");
    await page.keyboard.type("the company's GitHub Enterprise Server");
    await page.keyboard.press("Tab");
    await page.keyboard.type("ghes, team:platform");
    // The webhook secret is forgotten after every answer, so it is typed before each submit; Enter submits.
    const submit = async () => {
      await form.getByLabel("Webhook secret").fill("ghe-hook-secret");
      await form.getByLabel("Webhook secret").press("Enter");
    };
    await submit();
    expect(await fieldProblem(form, "Id (optional)")).toContain("must be a lowercase slug");
    expect(await ids()).toEqual(["github"]);
    await expectA11yClean(page);

    await form.getByLabel("Id (optional)").fill("github");
    await submit();
    // The id field still shows the slug refusal until the new answer arrives: wait for that answer.
    await form.getByText('VCS integration "github" already exists').waitFor();
    expect(await fieldProblem(form, "Id (optional)")).toBe('VCS integration "github" already exists: pick another id');
    expect(await t.admin.call("getVcsIntegration", { params: { id: "github" } })).toMatchObject({ name: "github", description: "the company's GitHub Enterprise" });

    await form.getByLabel("Id (optional)").fill("ghe-main");
    await submit();
    await page.getByText("Edit GitHub Enterprise").waitFor();
    expect(await t.admin.call("getVcsIntegration", { params: { id: "ghe-main" } })).toMatchObject({
      name: "GitHub Enterprise", description: "the company's GitHub Enterprise Server", labels: ["ghes", "team:platform"], spaceId: "team", provider: "GITHUB", webhookPath: "/webhooks/github/ghe-main",
    });
    await page.getByRole("row").filter({ hasText: "(ghe-main)" }).getByText("/webhooks/github/ghe-main").waitFor();
    expect([await form.getByLabel("Id (optional)").inputValue(), await form.getByLabel("Description").inputValue(), await form.getByLabel("Labels").inputValue()]).toEqual(["", "", ""]);

    // Without an id, the id is made from the name: a name whose id is taken is refused at the name.
    await form.getByLabel("Name").fill("GitHub");
    await submit();
    expect(await fieldProblem(form, "Name")).toBe('the id made from it, "github", is taken by another VCS integration: pick another name or set an id');
    expect(await ids()).toEqual(["ghe-main", "github"]);
    await expectA11yClean(page);
  });

  it("gives a writer of the space no create form, and the API refuses them a chosen id", async () => {
    const { t } = web;
    const writer = await userWithRole(t, "vcs-writer", [{ spaceId: "team", role: "write" }]);
    const p = await web.pageAs({ apiKey: writer.key });
    await p.goto(`${t.url}/integrations`);
    await p.getByRole("row").filter({ hasText: "(ghe-main)" }).waitFor();
    expect(await p.getByRole("form", { name: "new VCS integration" }).count()).toBe(0);
    const refused = await failure(t.client(writer.key).call("createVcsIntegration", { body: { id: "by-writer", name: "by writer", spaceId: "team", provider: "RAW_GIT" } }));
    expect(refused.status).toBe(403);
    expect((await failure(t.admin.call("getVcsIntegration", { params: { id: "by-writer" } }))).status).toBe(404);
    await p.context().close();
  });
});
