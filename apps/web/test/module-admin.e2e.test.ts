/**
 * Module administration in the web UI, in Debian's headless chromium against a real server and a
 * real git repository: create a module from the form (the server's refusal next to its field,
 * the repository's tags published), edit it, attach and detach contexts and policies (a refused
 * policy type shown with the server's reason), the version page's publisher and impact, deletion
 * refused while protected then done, and a reader given none of the buttons.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { makeRepo } from "../../worker/test/fixtures.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("module administration pages", () => {
  const web = webSession({
    settings: { httpsPort: 0 },
    given: async (t) => {
      const repo = makeRepo({ "main.tf": `output "cidr" {\n  value = "10.0.0.0/16"\n}\n` });
      repo.git("tag", "v1.0.0");
      await t.admin.call("createContext", { body: { id: "net-vars", name: "net-vars" } });
      await t.admin.call("createPolicy", { body: { id: "plan-guard", name: "plan-guard", type: "PLAN", body: "package spacelift\n" } });
      await t.admin.call("createPolicy", { body: { id: "who-logs-in", name: "who-logs-in", type: "LOGIN", body: "package spacelift\n" } });
      const readerKey = (await userWithRole(t, "reader", [{ spaceId: "root", role: "read" }])).key;
      return { repo, readerKey };
    },
    acceptDialogs: true,
  });

  it("creates a module from the form, the server's refusal shown at its field first", async () => {
    const { t, page, given: { repo } } = web;
    await page.goto(`${t.url}/modules`);
    await page.getByRole("link", { name: "New module" }).click();
    await page.waitForURL(`${t.url}/new/module`);
    await page.getByLabel("Name", { exact: true }).fill("vpc");
    await page.getByLabel("Terraform provider").fill("aws");
    await page.getByLabel("Id (optional)").fill("vpc");
    await page.getByLabel("Namespace").fill("acme");
    await page.getByLabel("Repository").fill(repo.path);
    await page.getByLabel("Project root").fill("../elsewhere");
    await page.getByRole("button", { name: "Create module" }).click();
    const root = page.getByLabel("Project root");
    expect(await fieldProblem(page, "Project root")).toContain("relative path");
    expect((await t.admin.call("listModules", { query: { limit: 100 } })).items).toEqual([]);
    await expectA11yClean(page, "new-module-refused");
    await root.fill("");
    await page.getByRole("button", { name: "Create module" }).click();
    await page.waitForURL(`${t.url}/modules/vpc`);
    await page.getByRole("heading", { name: /acme\/vpc/ }).waitFor();
    const m = await t.admin.call("getModule", { params: { id: "vpc" } });
    expect(m.latestVersion).toBe("1.0.0");
    expect(m.namespace).toBe("acme");
  });

  it("edits the module's settings", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/modules/vpc`);
    const form = page.getByRole("form", { name: "module settings" });
    await form.getByLabel("Description").fill("the network every service sits in");
    await form.getByLabel("Labels").fill("networking, core");
    await form.getByLabel("When a version is published").selectOption("PROPOSED");
    await form.getByRole("button", { name: "Save module" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const m = await t.admin.call("getModule", { params: { id: "vpc" } });
    expect(m.description).toBe("the network every service sits in");
    expect(m.labels).toEqual(["networking", "core"]);
    expect(m.triggerConsumers).toBe("PROPOSED");
  });

  it("attaches and detaches contexts and policies; a policy type modules refuse is shown with the reason", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/modules/vpc`);
    const ctxForm = page.getByRole("form", { name: "attach context to module" });
    await ctxForm.getByLabel("Context").selectOption("net-vars");
    await ctxForm.getByLabel("Priority").fill("3");
    await ctxForm.getByRole("button", { name: "Attach context" }).click();
    const table = page.getByRole("table", { name: "module attachments" });
    await expect.poll(async () => (await table.count()) ? table.textContent() : "").toContain("priority 3");
    const polForm = page.getByRole("form", { name: "attach policy to module" });
    await polForm.getByLabel("Policy").selectOption("who-logs-in");
    await polForm.getByRole("button", { name: "Attach policy" }).click();
    await expect.poll(async () => (await polForm.getByRole("alert").allTextContents()).join(" ")).toMatch(/login policies apply to the whole instance/);
    await polForm.getByLabel("Policy").selectOption("plan-guard");
    await polForm.getByRole("button", { name: "Attach policy" }).click();
    await expect.poll(() => table.textContent()).toContain("plan-guard (PLAN)");
    const stored = (await t.admin.call("listModuleAttachments", { params: { id: "vpc" } })).items.map((a) => `${a.kind}:${a.entityId}:${a.priority}`).sort();
    expect(stored).toEqual(["context:net-vars:3", "policy:plan-guard:0"]);
    await expectA11yClean(page, "module-admin");
    await page.getByRole("button", { name: "Detach net-vars" }).click();
    await expect.poll(() => table.textContent()).not.toContain("net-vars");
    expect((await t.admin.call("listModuleAttachments", { params: { id: "vpc" } })).items.map((a) => a.entityId)).toEqual(["plan-guard"]);
  });

  it("shows who published a version and what it did to consumers", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/modules/vpc/versions/1.0.0`);
    const v = await t.admin.call("getModuleVersion", { params: { id: "vpc", version: "1.0.0" } });
    await page.getByRole("heading", { name: "Impact on consumers" }).waitFor();
    const facts = await page.locator("main").textContent();
    expect(facts).toContain(`Published by${v.publishedBy ?? "unknown"}`);
    expect(facts).toContain(v.impact ? "No stack used the module" : "Not recorded");
    await expectA11yClean(page, "module-version-impact");
  });

  it("refuses to delete a protected module, then deletes it once unprotected", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/modules/vpc`);
    const form = page.getByRole("form", { name: "module settings" });
    await form.getByLabel("Protect from deletion").check();
    await form.getByRole("button", { name: "Save module" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.getByRole("button", { name: "Delete module" }).click();
    await expect.poll(async () => (await page.getByRole("alert").allTextContents()).join(" ")).toMatch(/protect/i);
    expect((await t.admin.call("getModule", { params: { id: "vpc" } })).id).toBe("vpc");
    await form.getByLabel("Protect from deletion").uncheck();
    await form.getByRole("button", { name: "Save module" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.getByRole("button", { name: "Delete module" }).click();
    await page.waitForURL(`${t.url}/modules`);
    expect((await failure(t.admin.call("getModule", { params: { id: "vpc" } }))).status).toBe(404);
  });

  it("gives a reader no create, settings, attach, detach or delete controls (and the API refuses them)", async () => {
    const { t, given: { repo, readerKey } } = web;
    await t.admin.call("createModule", { body: { id: "dns", name: "dns", terraformProvider: "aws", repository: repo.path } });
    await t.admin.call("attachModuleContext", { params: { id: "dns", entityId: "net-vars" }, body: { priority: 0 } });
    const p = await web.pageAs({ apiKey: readerKey });
    await p.goto(`${t.url}/modules`);
    await p.getByRole("link", { name: /gantry\/dns/ }).waitFor();
    expect(await p.getByRole("link", { name: "New module" }).count()).toBe(0);
    await p.goto(`${t.url}/modules/dns`);
    await p.getByRole("table", { name: "module attachments" }).waitFor();
    expect(await p.getByRole("form").count()).toBe(0);
    expect(await p.getByRole("button", { name: /Detach|Delete|Save/ }).count()).toBe(0);
    expect((await failure(t.client(readerKey).call("deleteModule", { params: { id: "dns" } }))).status).toBe(403);
    await p.context().close();
  });
});
