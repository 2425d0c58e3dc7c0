/**
 * Creating and deleting spaces in Debian's headless chromium against a real server: the parent
 * offered only where the person is an admin, the server's refusals at their field and for a
 * space that is not empty, and no buttons for a writer (the API refusing as well).
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("web UI: spaces", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      const admin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
      const writerKey = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
      return { adminKey: admin.key, writerKey };
    },
    logInAs: (_t, given) => ({ apiKey: given.adminKey }),
    acceptDialogs: true,
  });

  it("creates a space under one the person administers, refuses to delete it while it holds a stack, then deletes it", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/spaces`);
    const form = page.getByRole("form", { name: "new space" });
    await expect.poll(() => form.getByLabel("Parent space").locator("option").allTextContents()).toEqual(["team"]);
    await form.getByLabel("Name").fill("payments");
    await form.getByLabel("Id (optional)").fill("Pay Ments");
    await form.getByRole("button", { name: "Create space" }).click();
    expect(await fieldProblem(form, "Id (optional)")).toContain("must be a lowercase slug");
    await form.getByLabel("Id (optional)").fill("payments");
    await form.getByRole("button", { name: "Create space" }).click();
    await page.getByRole("button", { name: "Delete space payments" }).waitFor();
    expect(await t.admin.call("getSpace", { params: { id: "payments" } })).toMatchObject({ parentSpaceId: "team", inheritEntities: true });
    await expectA11yClean(page);
    await t.admin.call("createStack", { body: { id: "pay-api", name: "pay api", spaceId: "payments", repository: "/srv/x.git" } });
    await page.getByRole("button", { name: "Delete space payments" }).click();
    await page.getByRole("alert").filter({ hasText: "stack" }).waitFor();
    await t.admin.call("deleteStack", { params: { id: "pay-api" } });
    await page.getByRole("button", { name: "Delete space payments" }).click();
    await page.getByRole("button", { name: "Delete space payments" }).waitFor({ state: "detached" });
    expect((await failure(t.admin.call("getSpace", { params: { id: "payments" } }))).status).toBe(404);
  });

  it("edits and moves a space, and shows the server's refusal to move a space under itself at the parent field", async () => {
    const { t, page } = web;
    await t.admin.call("createSpace", { body: { id: "apps", name: "apps", parentSpaceId: "team" } });
    await t.admin.call("createSpace", { body: { id: "web", name: "web", parentSpaceId: "team" } });
    await page.goto(`${t.url}/spaces`);
    const section = page.getByRole("region", { name: "Edit or move a space" });
    await expect.poll(() => section.getByLabel("Space to edit").locator("option").allTextContents()).toEqual(expect.arrayContaining(["team", "apps", "web"]));
    expect(await section.getByLabel("Space to edit").locator("option").allTextContents()).not.toContain("root");
    await section.getByLabel("Space to edit").selectOption("web");
    const form = page.getByRole("form", { name: "edit space web" });
    await form.getByLabel("Name").fill("web frontends");
    await form.getByLabel("Description").fill("the public sites");
    await form.getByLabel("Labels").fill("frontend, public");
    await form.getByLabel("Parent space").selectOption("apps");
    await form.getByRole("button", { name: "Save space" }).click();
    await form.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await t.admin.call("getSpace", { params: { id: "web" } })).toMatchObject({ name: "web frontends", description: "the public sites", labels: ["frontend", "public"], parentSpaceId: "apps" });

    await section.getByLabel("Space to edit").selectOption("apps");
    const apps = page.getByRole("form", { name: "edit space apps" });
    await apps.getByLabel("Parent space").selectOption("web");
    await apps.getByRole("button", { name: "Save space" }).click();
    expect(await fieldProblem(apps, "Parent space")).toContain("would make a cycle");
    expect(await apps.textContent()).toContain("would make a cycle");
    expect((await t.admin.call("getSpace", { params: { id: "apps" } })).parentSpaceId).toBe("team");
    await expectA11yClean(page);
  });

  it("gives a writer no create or delete buttons, and the API refuses the writer", async () => {
    const { t, given: { writerKey } } = web;
    const p = await web.pageAs({ apiKey: writerKey });
    await p.goto(`${t.url}/spaces`);
    await p.getByRole("navigation", { name: "space tree" }).getByRole("link", { name: "team" }).waitFor();
    expect(await p.getByRole("button", { name: /Create space|Delete space|Save space/ }).count()).toBe(0);
    expect((await failure(t.client(writerKey).call("createSpace", { body: { name: "sneaky", parentSpaceId: "team" } }))).status).toBe(403);
    expect((await failure(t.client(writerKey).call("deleteSpace", { params: { id: "team" } }))).status).toBe(403);
    await p.context().close();
  });

  it("creates a space with a description from the keyboard, refusing a hidden character at the description field and a taken id at the id field", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/spaces`);
    const form = page.getByRole("form", { name: "new space" });
    await expect.poll(() => form.getByLabel("Parent space").locator("option").allTextContents()).toContain("team");
    await form.getByLabel("Parent space").selectOption("team");
    // Keyboard only: Name, Tab to the id, Tab to the description (a text area: Enter is a new line there).
    await form.getByLabel("Name").focus();
    await page.keyboard.type("billing");
    await page.keyboard.press("Tab");
    await page.keyboard.type("billing");
    await page.keyboard.press("Tab");
    expect(await page.locator("#space-description:focus").count()).toBe(1);
    await page.keyboard.type("invoices\u202e and payments");
    await form.getByRole("button", { name: "Create space" }).focus();
    await page.keyboard.press("Enter");
    expect(await fieldProblem(form, "Description")).toMatch(/must not contain control or bidirectional formatting characters: U\+202E at position 9/);
    expect((await failure(t.admin.call("getSpace", { params: { id: "billing" } }))).status).toBe(404);
    await expectA11yClean(page);

    await form.getByLabel("Description").fill("invoices and payments\nowned by finance");
    await form.getByRole("button", { name: "Create space" }).click();
    await page.getByRole("button", { name: "Delete space billing" }).waitFor();
    expect(await t.admin.call("getSpace", { params: { id: "billing" } })).toMatchObject({ name: "billing", description: "invoices and payments\nowned by finance", parentSpaceId: "team" });
    await page.getByRole("navigation", { name: "space tree" }).getByText("invoices and payments").waitFor();
    expect(await form.getByLabel("Description").inputValue()).toBe("");

    await form.getByLabel("Name").fill("billing again");
    await form.getByLabel("Id (optional)").fill("billing");
    await form.getByLabel("Description").fill("a second one");
    await form.getByRole("button", { name: "Create space" }).click();
    expect(await fieldProblem(form, "Id (optional)")).toBe('space "billing" already exists: pick another id');
    expect(await t.admin.call("getSpace", { params: { id: "billing" } })).toMatchObject({ name: "billing", description: "invoices and payments\nowned by finance" });
    await expectA11yClean(page);
  });
});
