/**
 * Creating and deleting policies in Debian's headless chromium against a real server: the
 * server's compile errors shown with the body field, the new policy's page, deletion, and no
 * buttons for someone who is not an admin of a space (the API refusing as well).
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
});
