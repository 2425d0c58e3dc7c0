/**
 * Creating, editing and deleting policies in Debian's headless chromium against a real server:
 * the server's compile errors shown with the body field, the new policy's page with its Rego
 * version and tests, a policy's settings (name, description, space, labels) with the server's
 * refusals, the editor's Rego version choice and the server's warnings, deletion, and no buttons
 * for someone who is not an admin of a space (the API refusing as well).
 */
import { describe, expect, it } from "vitest";
import { failure } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, teamWithAdminAndWriter, webSession } from "./browser.js";

describe("web UI: creating and deleting policies", () => {
  const web = webSession({
    given: teamWithAdminAndWriter,
    logInAs: (_t, given) => ({ apiKey: given.adminKey }),
    acceptDialogs: true,
  });

  it("creates a policy after the server's compile error is shown, then deletes it", async () => {
    const { t, page } = web;
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
    expect(await fieldProblem(page, "Body (Rego)")).toMatch(/rego_parse_error|unexpected|line \d/i);
    await expectA11yClean(page, "new-policy-refused");
    await page.getByLabel("Body (Rego)").fill('package spacelift\n\ndeny contains msg if {\n  some r in input.terraform.resource_changes\n  r.change.actions[_] == "delete"\n  msg := sprintf("deletes %s", [r.address])\n}\n');
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.waitForURL(`${t.url}/policies/no-deletes`);
    expect(await t.admin.call("getPolicy", { params: { id: "no-deletes" } })).toMatchObject({ name: "no deletes", type: "PLAN", spaceId: "team", labels: ["autoattach:prod"] });
    await page.getByRole("button", { name: "Delete policy" }).click();
    await page.waitForURL(`${t.url}/policies`);
    expect((await failure(t.admin.call("getPolicy", { params: { id: "no-deletes" } }))).status).toBe(404);
  });

  it("gives a writer no create or delete buttons, and the API refuses the writer", async () => {
    const { t, given: { writerKey } } = web;
    await t.admin.call("createPolicy", { body: { id: "kept", name: "kept", type: "PLAN", spaceId: "team", body: "package spacelift\n" } });
    const p = await web.pageAs({ apiKey: writerKey });
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

  it("edits a policy's settings: a refusal at its field, a move the server refuses, then a move it allows", async () => {
    const { t, page } = web;
    await t.admin.call("createSpace", { body: { id: "team-sub", name: "team-sub", parentSpaceId: "team", inheritEntities: true } });
    await t.admin.call("createSpace", { body: { id: "elsewhere", name: "elsewhere" } });
    await t.admin.call("createPolicy", { body: { id: "guard", name: "guard", type: "PLAN", spaceId: "team", body: "package spacelift\n" } });
    await t.admin.call("createStack", { body: { id: "svc", name: "svc", spaceId: "team", repository: "/srv/infra.git" } });
    await t.admin.call("attachPolicy", { params: { id: "svc", entityId: "guard" } });
    await page.goto(`${t.url}/policies/guard`);
    const form = page.getByRole("form", { name: "policy settings" });
    // Only the spaces where the person is an admin: team and the space under it, not "elsewhere".
    await expect.poll(() => form.getByLabel("Space").locator("option").allTextContents()).toEqual(["team", "team-sub"]);
    await form.getByLabel("Name").fill("");
    await form.getByRole("button", { name: "Save settings" }).click();
    await form.getByRole("alert").filter({ hasText: "Not saved." }).waitFor();
    expect(await form.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
    expect(await fieldProblem(form, "Name")).toContain("must not be empty");
    await expectA11yClean(page, "policy-settings-refused");
    // The stack in team cannot reach a policy in team-sub: the server refuses, and says why.
    await form.getByLabel("Name").fill("prod guard");
    await form.getByLabel("Space").selectOption("team-sub");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("out of reach of their stacks");
    expect(await t.admin.call("getPolicy", { params: { id: "guard" } })).toMatchObject({ name: "guard", spaceId: "team" });
    await t.admin.call("detachPolicy", { params: { id: "svc", entityId: "guard" } });
    await form.getByLabel("Description").fill("guards production");
    await form.getByLabel("Labels").fill("autoattach:prod, reviewed");
    // Enter in a field submits the form: the keyboard is enough.
    await form.getByLabel("Labels").press("Enter");
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await t.admin.call("getPolicy", { params: { id: "guard" } })).toMatchObject({ name: "prod guard", description: "guards production", spaceId: "team-sub", labels: ["autoattach:prod", "reviewed"] });
    await page.getByRole("heading", { name: "prod guard" }).waitFor();
  });

  it("creates a policy with its Rego version and tests: refusals at the body and tests fields, then the server's warning", async () => {
    const { t, page } = web;
    const v0 = 'package spacelift\n\ndeny[msg] {\n  input.terraform.resource_changes[_].change.actions[_] == "delete"\n  msg := "no deletes"\n}\n';
    const testsWith = (n: number) => `package spacelift\n\ntest_denies_deletes {\n  count(deny) == ${n} with input as {"terraform": {"resource_changes": [{"change": {"actions": ["delete"]}}]}}\n}\n`;
    await page.goto(`${t.url}/new/policy`);
    await expect.poll(() => page.getByLabel("Space").locator("option").allTextContents()).toContain("team");
    expect(await page.getByLabel("Rego version").inputValue()).toBe("");
    expect(await page.getByLabel("Rego version").locator("option").allTextContents()).toEqual(["Detect (default)", "Rego v1", "Rego v0 (Spacelift's older syntax)"]);
    await page.getByLabel("Name").fill("old style");
    await page.getByLabel("Body (Rego)").fill(v0);
    await page.getByLabel("Tests (Rego, optional)").fill(testsWith(0));
    // Said to be Rego v1, the v0 body does not parse.
    await page.getByLabel("Rego version").selectOption("V1");
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByRole("alert").filter({ hasText: "Not saved." }).waitFor();
    expect(await fieldProblem(page, "Body (Rego)")).toContain("rego_parse_error");
    // Detected, it is v0; its failing test refuses the creation, named at the tests field.
    await page.getByLabel("Rego version").selectOption("");
    await page.getByRole("button", { name: "Create policy" }).click();
    expect(await fieldProblem(page, "Tests (Rego, optional)")).toContain("test_denies_deletes");
    expect(await page.getByLabel("Tests (Rego, optional)").getAttribute("aria-invalid")).toBe("true");
    await expectA11yClean(page, "new-policy-tests-refused");
    await page.getByLabel("Tests (Rego, optional)").fill(testsWith(1));
    await page.getByRole("button", { name: "Create policy" }).click();
    const warning = page.getByRole("status", { name: "warnings from the server" });
    await expect.poll(() => warning.textContent().catch(() => "")).toContain("stored as V0");
    expect(await warning.textContent()).toContain("Created policy old style as Rego v0");
    expect(await t.admin.call("getPolicy", { params: { id: "old-style" } })).toMatchObject({ regoVersion: "V0", body: v0, tests: testsWith(1), spaceId: "team" });
    await page.getByRole("link", { name: "Open the policy old style" }).click();
    await page.waitForURL(`${t.url}/policies/old-style`);
  });

  it("saves a Rego v0 body over a v1 policy: the editor checks it as the save will, and shows the server's warning", async () => {
    const { t, page } = web;
    const v1 = 'package spacelift\nimport rego.v1\n\ndeny contains "no" if input.never\n';
    const v0 = 'package spacelift\n\ndeny[msg] {\n  input.terraform.resource_changes[_].change.actions[_] == "delete"\n  msg := "no deletes"\n}\n';
    await t.admin.call("createPolicy", { body: { id: "modern", name: "modern", type: "PLAN", spaceId: "team", body: v1 } });
    await page.goto(`${t.url}/policies/modern`);
    await page.getByRole("button", { name: "Edit" }).click();
    await page.locator(".cm-content").first().waitFor();
    expect(await page.getByLabel("Rego version").inputValue()).toBe("");
    await page.getByRole("textbox", { name: "policy body" }).click();
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(v0);
    const status = page.getByRole("status").filter({ hasText: /line|Compiles/ });
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain("Compiles as Rego v0");
    await expect.poll(() => page.getByRole("status", { name: "warnings from the server" }).textContent()).toContain("stored as V0");
    // Said to be v1, the same body is refused before saving, and nothing is saved.
    await page.getByLabel("Rego version").selectOption("V1");
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain("rego_parse_error");
    await page.getByRole("button", { name: "Test and save" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("does not compile");
    expect(await t.admin.call("getPolicy", { params: { id: "modern" } })).toMatchObject({ regoVersion: "V1", body: v1 });
    await page.getByLabel("Rego version").selectOption("");
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain("Compiles as Rego v0");
    await expectA11yClean(page, "policy-editor-rego-version");
    await page.getByRole("button", { name: "Test and save" }).click();
    const saved = page.getByRole("status", { name: "warnings from the server" });
    await expect.poll(() => saved.textContent().catch(() => "")).toContain("Saved as Rego v0, with a warning:");
    expect(await saved.textContent()).toContain("stored as V0");
    expect(await t.admin.call("getPolicy", { params: { id: "modern" } })).toMatchObject({ regoVersion: "V0", body: v0 });
  }, 60_000);

  it("gives a writer no settings form or editor, and the API refuses the writer's changes", async () => {
    const { t, given: { writerKey } } = web;
    await t.admin.call("createPolicy", { body: { id: "settled", name: "settled", type: "PLAN", spaceId: "team", body: "package spacelift\n" } });
    const p = await web.pageAs({ apiKey: writerKey });
    await p.goto(`${t.url}/policies/settled`);
    await p.getByText("Changing a policy needs the admin role in space team").waitFor();
    expect(await p.getByRole("form", { name: "policy settings" }).count()).toBe(0);
    expect(await p.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect((await failure(t.client(writerKey).call("updatePolicy", { params: { id: "settled" }, body: { name: "renamed", labels: ["autoattach:*"] } }))).status).toBe(403);
    expect((await failure(t.client(writerKey).call("updatePolicy", { params: { id: "settled" }, body: { body: "package spacelift\n\ndeny[msg] { msg := \"x\" }\n", regoVersion: "V0" } }))).status).toBe(403);
    expect(await t.admin.call("getPolicy", { params: { id: "settled" } })).toMatchObject({ name: "settled", labels: [], regoVersion: "V1" });
    await p.context().close();
  });
});
