/**
 * The policy what-if in the web UI, in Debian's headless chromium against a real server, worker
 * and terraform: a real proposed run records its plan policy input; a draft typed on the policy's
 * page (by a reader, without saving) and in the editor (by an admin) is replayed on it, and the
 * page lists the run whose decision would change; a Rego v0 draft is replayed as v0.
 */
import { describe, expect, it } from "vitest";
import { makeRepo, waitForRun } from "../../worker/test/fixtures.js";
import { expectA11yClean, webSession } from "./browser.js";

const quiet = `package spacelift
import rego.v1

warn contains "big change" if count(input.terraform.resource_changes) > 10
`;

const denyCreates = `
deny contains sprintf("no new %s", [rc.address]) if {
  some rc in input.terraform.resource_changes
  "create" in rc.change.actions
}
`;

describe("policy what-if in the web UI", () => {
  const web = webSession({
    worker: { concurrency: 1 },
    given: async (t) => {
      const repo = makeRepo();
      await t.admin.call("createPolicy", { body: { id: "size-guard", name: "size-guard", type: "PLAN", body: quiet, labels: ["autoattach:*"] } });
      await t.admin.call("createPolicy", { body: { id: "who-logs-in", name: "who-logs-in", type: "LOGIN", body: "package spacelift\nimport rego.v1\nallow if input.session.login == \"admin\"\n" } });
      await t.admin.call("createStack", { body: { id: "web", name: "web", repository: repo.path } });
      const run = await t.admin.call("createRun", { params: { id: "web" }, body: { type: "PROPOSED" } });
      expect((await waitForRun(t.admin, run.id, undefined, 120_000)).state).toBe("FINISHED");
      const reader = await t.admin.call("createUser", { body: { username: "reader", password: "correct horse battery staple" } });
      await t.admin.call("createRoleBinding", { body: { spaceId: "root", role: "read", subjectType: "user", subjectId: reader.id } });
      return { runId: run.id };
    },
  });

  it("lets a reader replay a draft on recorded runs and shows the run it would newly deny, saving nothing", async () => {
    const { t, given: { runId } } = web;
    const p = await web.pageAs({ username: "reader", password: "correct horse battery staple" });
    await p.goto(`${t.url}/policies/size-guard`);
    // The saved body replayed on itself: the run is listed, unchanged.
    await p.getByRole("button", { name: "Simulate against recorded runs" }).click();
    await expect.poll(() => p.getByRole("status").filter({ hasText: /would|no change|change/i }).first().textContent()).toBeTruthy();
    expect(await p.getByRole("table", { name: "what-if decisions" }).count()).toBe(0);
    await p.getByLabel("Show unchanged decisions too").check();
    const row = p.getByRole("row", { name: new RegExp(`web ${runId.slice(-8)}`) });
    expect(await row.textContent()).toContain("same");

    await p.getByRole("button", { name: "Try a change (what-if draft)…" }).click();
    await p.locator(".cm-content").first().waitFor();
    await p.getByRole("textbox", { name: "what-if draft" }).click();
    await p.keyboard.press("Control+End");
    await p.keyboard.insertText(denyCreates);
    await expect.poll(() => p.getByRole("status").filter({ hasText: /compiles|line/ }).textContent(), { timeout: 20_000 }).toContain("Draft compiles");
    await p.getByRole("button", { name: "Simulate against recorded runs" }).click();
    const summary = p.getByRole("list", { name: "what-if summary" });
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain("1 newly denied (1 stack)");
    expect(await p.getByRole("status").filter({ hasText: /deny/ }).textContent()).toMatch(/newly deny 1 run/);
    const changed = p.getByRole("table", { name: "what-if decisions" }).getByRole("row", { name: new RegExp(`web ${runId.slice(-8)}`) });
    const text = (await changed.textContent())!;
    expect(text).toContain("deny: no new terraform_data.greeting");
    expect(await changed.locator(".badge").allTextContents()).toEqual(["allow", "deny"]);
    // The run is a link to its page.
    expect(await changed.getByRole("link").getAttribute("href")).toBe(`/stacks/web/runs/${runId}`);
    // A reader has no edit button, and nothing was saved.
    expect(await p.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect((await t.admin.call("getPolicy", { params: { id: "size-guard" } })).body).toBe(quiet);
    await expectA11yClean(p, "policy-what-if");
    await p.context().close();
  }, 120_000);

  it("simulates the body being edited, before it is saved", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/policies/size-guard`);
    await page.getByRole("button", { name: "Edit" }).click();
    await page.locator(".cm-content").first().waitFor();
    await page.getByRole("textbox", { name: "policy body" }).click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText(denyCreates);
    await page.getByRole("button", { name: "Simulate against recorded runs" }).click();
    await expect.poll(() => page.getByRole("list", { name: "what-if summary" }).textContent(), { timeout: 20_000 }).toContain("1 newly denied");
    expect(await page.getByRole("table", { name: "what-if decisions" }).textContent()).toContain("no new terraform_data.greeting");
    // Taking the rule out again: nothing would change.
    await page.getByRole("textbox", { name: "policy body" }).click();
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(quiet);
    await page.getByRole("button", { name: "Simulate against recorded runs" }).click();
    await expect.poll(() => page.getByRole("list", { name: "what-if summary" }).textContent(), { timeout: 20_000 }).toContain("0 newly denied");
    expect(await page.getByText("No decision would change.").count()).toBe(1);
  }, 60_000);

  it("replays a Rego v0 draft as v0: the version detected, or chosen, goes with the tried body", async () => {
    const { t, given: { runId } } = web;
    const p = await web.pageAs({ username: "reader", password: "correct horse battery staple" });
    await p.goto(`${t.url}/policies/size-guard`);
    await p.getByRole("button", { name: "Try a change (what-if draft)…" }).click();
    await p.locator(".cm-content").first().waitFor();
    await p.getByRole("textbox", { name: "what-if draft" }).click();
    await p.keyboard.press("Control+a");
    // Spacelift's older syntax: it compiles only as Rego v0, so replaying it as the policy's v1 would fail.
    await p.keyboard.insertText('package spacelift\n\ndeny[sprintf("no new %s", [rc.address])] {\n  rc := input.terraform.resource_changes[_]\n  rc.change.actions[_] == "create"\n}\n');
    const status = p.getByRole("status").filter({ hasText: /compiles|line/ });
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain("Draft compiles as Rego v0");
    await p.getByRole("button", { name: "Simulate against recorded runs" }).click();
    const summary = p.getByRole("list", { name: "what-if summary" });
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain("1 newly denied (1 stack)");
    expect(await p.getByRole("table", { name: "what-if decisions" }).getByRole("row", { name: new RegExp(`web ${runId.slice(-8)}`) }).textContent()).toContain("deny: no new terraform_data.greeting");
    // Chosen as v1, the same draft does not compile, and the what-if says so rather than guessing.
    await p.getByLabel("Rego version").selectOption("V1");
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain("rego_parse_error");
    await p.getByRole("button", { name: "Simulate against recorded runs" }).click();
    await expect.poll(() => p.getByRole("alert").textContent(), { timeout: 20_000 }).toMatch(/compile|parse/);
    await expectA11yClean(p, "policy-what-if-rego-v0");
    expect((await t.admin.call("getPolicy", { params: { id: "size-guard" } })).regoVersion).toBe("V1");
    await p.context().close();
  }, 120_000);

  it("says what-if is not available for policies that decide requests", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/policies/who-logs-in`);
    await page.getByText("What-if is not available for LOGIN policies").waitFor();
    expect(await page.getByRole("button", { name: "Simulate against recorded runs" }).count()).toBe(0);
  });
});
