/**
 * The web UI's pages beyond the first ones, in Debian's headless chromium against a real server,
 * worker and terraform: a stack's outputs, resources and dependency graph after a real apply, a
 * task run from the stack page, the plan diff, the Rego editor's compile errors as you type and
 * tests on save, and every page checked with axe-core in light and dark schemes.
 */
import { describe, expect, it } from "vitest";
import { makeRepo, waitForRun } from "../../worker/test/fixtures.js";
import { screenshot, seriousA11yViolations, webSession } from "./browser.js";

const editable = `package spacelift
import rego.v1

warn contains "big change" if count(input.terraform.resource_changes) > 10
`;

describe("web UI pages", () => {
  const web = webSession({
    worker: { concurrency: 2 },
    given: async (t) => {
      const repo = makeRepo();
      await t.admin.call("createSpace", { body: { id: "team", name: "team", inheritEntities: true } });
      await t.admin.call("createStack", { body: { id: "state-app", name: "state-app", spaceId: "team", repository: repo.path, autodeploy: true } });
      await t.admin.call("createStack", { body: { id: "consumer", name: "consumer", spaceId: "team", repository: repo.path } });
      await t.admin.call("createStackDependency", { params: { id: "consumer" }, body: { dependsOnStackId: "state-app" } });
      await t.admin.call("createContext", { body: { id: "shared", name: "shared", spaceId: "team", labels: ["autoattach:*"] } });
      await t.admin.call("putContextVariable", { params: { id: "shared", name: "DB_PASSWORD" }, body: { value: "context-secret-4411", writeOnly: true } });
      await t.admin.call("putContextVariable", { params: { id: "shared", name: "REGION" }, body: { value: "eu-west-1" } });
      await t.admin.call("createPolicy", { body: { id: "editable", name: "editable", type: "PLAN", body: editable } });
      await t.admin.call("createPolicy", { body: { id: "who-logs-in", name: "who-logs-in", type: "LOGIN", body: "package spacelift\nimport rego.v1\nallow if input.session.login == \"admin\"\n" } });
      await t.admin.call("createWorkerPool", { body: { id: "private", name: "private", spaceId: "team" } });
      await t.admin.call("createAwsIntegration", { body: { id: "deployer", name: "deployer", spaceId: "team", roleArn: "arn:aws:iam::123456789012:role/deployer" } });
      const reader = await t.admin.call("createUser", { body: { username: "reader", password: "correct horse battery staple" } });
      await t.admin.call("createRoleBinding", { body: { spaceId: "root", role: "read", subjectType: "user", subjectId: reader.id } });
      const applied = await t.admin.call("createRun", { params: { id: "state-app" }, body: { type: "TRACKED" } });
      expect((await waitForRun(t.admin, applied.id, undefined, 120_000)).state).toBe("FINISHED");
    },
  });

  it("shows a stack's outputs (sensitive masked), state resources and dependency graph", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/state-app`);
    const outputs = page.getByRole("region", { name: "Outputs" });
    await expect.poll(() => outputs.getByRole("row", { name: /greeting/ }).textContent()).toContain("hello");
    expect(await outputs.getByRole("row", { name: /hidden/ }).textContent()).toContain("sensitive (hidden)");
    expect(await page.content()).not.toContain("classified");
    await expect.poll(() => page.getByRole("region", { name: /Resources/ }).textContent()).toContain("terraform_data.greeting");
    const deps = page.getByRole("region", { name: "Dependencies" });
    await expect.poll(() => deps.textContent(), { timeout: 20_000 }).toContain("Arrows point");
    const graph = page.locator('svg[aria-label^="dependency graph of state-app"]');
    expect(await graph.getAttribute("aria-label")).toContain("consumer depends on state-app");
    // The graph's boxes are links, reachable by keyboard.
    await graph.getByRole("link", { name: "stack consumer" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${t.url}/stacks/consumer`);
    expect(await page.getByRole("row", { name: /DB_PASSWORD/ }).textContent()).toContain("write-only");
    expect(await page.content()).not.toContain("context-secret-4411");
    await page.goto(`${t.url}/stacks/state-app`);
    await page.getByRole("region", { name: "Outputs" }).getByRole("row", { name: /greeting/ }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "stack-state");
  });

  it("runs a task from the stack page and shows the plan of a run as a diff", async () => {
    const { t, page } = web;
    await page.getByRole("button", { name: "Run a task…" }).click();
    await page.getByLabel("Command to run in the stack's workspace").fill("echo task-ran-$((40 + 2))");
    await page.getByRole("button", { name: "Run task" }).click();
    await expect.poll(async () => (await page.getByRole("alert").allTextContents()).join(" ") || page.url()).toMatch(/\/runs\//);
    await page.waitForURL(/\/stacks\/state-app\/runs\/[0-9A-Z]+$/);
    await expect.poll(() => page.getByRole("log", { name: "run log" }).textContent(), { timeout: 90_000 }).toContain("task-ran-42");

    // A proposed run with a change: the plan section lists the replaced resource and its input.
    const repoRun = await t.admin.call("putStackVariable", { params: { id: "state-app", name: "TF_VAR_greeting" }, body: { value: "bonjour" } });
    expect(repoRun.name).toBe("TF_VAR_greeting");
    await page.goto(`${t.url}/stacks/state-app`);
    await page.getByRole("button", { name: "Preview (proposed run)" }).click();
    await page.waitForURL(/\/runs\/[0-9A-Z]+$/);
    const plan = page.getByRole("region", { name: "Plan" });
    await expect.poll(() => plan.textContent(), { timeout: 90_000 }).toContain("terraform_data.greeting");
    expect(await plan.textContent()).toMatch(/replace|update/);
    const input = plan.getByRole("row", { name: /^input/ });
    expect(await input.textContent()).toContain('"hello"');
    expect(await input.textContent()).toContain('"bonjour"');
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 60_000 }).toContain("FINISHED");
    expect(await page.getByRole("img", { name: /^phases:/ }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "run-plan");
  }, 240_000);

  it("shows compile errors at their line as a policy is typed, and runs its tests before saving", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/policies/editable`);
    await page.getByRole("button", { name: "Edit" }).click();
    const body = page.getByRole("textbox", { name: "policy body" });
    await page.locator(".cm-content").first().waitFor();
    await body.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText("\ndeny contains msg if {\n  msg := nope(1)\n}\n");
    const status = page.getByRole("status").filter({ hasText: /line|Compiles/ });
    // The error names the line the call is on in the editor.
    const nopeLine = (await page.locator(".cm-line").allTextContents()).findIndex((l) => l.includes("nope(1)")) + 1;
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`line ${nopeLine}:\\d+: rego_\\w+: .*nope`));
    // The editor marks the line too.
    await expect.poll(() => page.locator(".cm-lintRange-error").count()).toBeGreaterThan(0);
    await page.keyboard.press("Control+z");
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain("Compiles");
    const tests = page.getByRole("textbox", { name: "policy tests" });
    await tests.click();
    await page.keyboard.insertText("package spacelift_test\nimport rego.v1\nimport data.spacelift\ntest_quiet if { count(spacelift.warn) == 1 with input as {\"terraform\": {\"resource_changes\": []}} }\n");
    await page.getByRole("button", { name: "Test and save" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("1 test failed (data.spacelift_test.test_quiet)");
    expect(await page.getByRole("list", { name: "test results" }).textContent()).toContain("fail");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "policy-editor");
    // Fixing the test saves the policy.
    await tests.click();
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText("package spacelift_test\nimport rego.v1\nimport data.spacelift\ntest_quiet if { count(spacelift.warn) == 0 with input as {\"terraform\": {\"resource_changes\": []}} }\n");
    await page.getByRole("button", { name: "Test and save" }).click();
    await page.getByRole("button", { name: "Edit" }).waitFor();
    const saved = await t.admin.call("getPolicy", { params: { id: "editable" } });
    expect(saved.body).toBe(editable);
    // The tests are the policy's own, stored with it (the server runs them on every change).
    expect(saved.tests).toContain("count(spacelift.warn) == 0");
  }, 120_000);

  it("creates an API key and shows its secret once", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/api-keys`);
    await page.getByLabel("New key name").fill("ci");
    await page.getByRole("button", { name: "Create key" }).click();
    const once = page.getByRole("status").filter({ hasText: "Copy its secret now" });
    const secret = (await once.locator("code").textContent())!;
    expect(secret.length).toBeGreaterThan(20);
    expect((await t.client(secret).call("me", {})).name).toBeTruthy();
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByRole("row", { name: /ci/ }).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  const tour: [string, string, RegExp][] = [
    ["/", "overview", /Overview/], ["/stacks", "stacks", /Stacks/], ["/stacks/state-app", "stack", /state-app/], ["/spaces", "spaces", /Spaces/], ["/contexts", "contexts", /Contexts/],
    ["/contexts/shared", "context", /shared/], ["/policies", "policies", /Policies/], ["/policies/editable", "policy", /editable/],
    ["/worker-pools", "worker-pools", /Worker pools/], ["/integrations", "integrations", /Integrations/], ["/notifications", "notifications", /Notifications/],
    ["/admin", "users", /Users and teams/], ["/api-keys", "api-keys", /API keys/], ["/audit", "audit", /Audit/], ["/nowhere", "not-found", /Not found/],
    ["/providers", "providers", /Providers/], ["/registry-tokens", "registry-tokens", /Registry tokens/], ["/new/policy", "new-policy", /New policy/],
  ];

  it.each(["light", "dark"] as const)("passes axe-core on every page in the %s scheme", async (scheme) => {
    const { t, page } = web;
    await page.emulateMedia({ colorScheme: scheme });
    for (const [path, name, heading] of tour) {
      await page.goto(`${t.url}${path}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await page.waitForLoadState("networkidle");
      // Sections rendered later (the stack page's lower half) are checked too, once they are there.
      await page.locator("[aria-busy=true]").first().waitFor({ state: "detached" });
      expect(await seriousA11yViolations(page), `${path} (${scheme})`).toEqual([]);
      await screenshot(page, `${name}-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
  }, 180_000);

  it("shows the context's write-only value as such, and the pages' contents", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/contexts/shared`);
    expect(await page.getByRole("row", { name: /DB_PASSWORD/ }).textContent()).toContain("write-only");
    expect(await page.getByRole("row", { name: /REGION/ }).textContent()).toContain("eu-west-1");
    await page.goto(`${t.url}/worker-pools`);
    await page.getByRole("heading", { name: /private/ }).waitFor();
    await page.goto(`${t.url}/integrations`);
    await page.getByRole("row", { name: /deployer/ }).waitFor();
    await page.goto(`${t.url}/admin`);
    await page.getByRole("row", { name: /^reader/ }).first().waitFor();
    await page.getByRole("link", { name: "who-logs-in" }).waitFor();
  });

  it("gives a reader no edit button and no account administration", async () => {
    const { t } = web;
    const p = await web.pageAs({ username: "reader", password: "correct horse battery staple" });
    await p.goto(`${t.url}/policies/editable`);
    await p.getByText("Changing a policy needs the admin role").waitFor();
    expect(await p.getByRole("button", { name: "Edit" }).count()).toBe(0);
    await p.goto(`${t.url}/admin`);
    await p.getByRole("alert").filter({ hasText: "needs the admin role on the root space" }).waitFor();
    await p.goto(`${t.url}/stacks/state-app`);
    await p.getByText("You can read this stack").waitFor();
    expect(await p.getByRole("button", { name: /Run a task|Destroy resources|Check drift now/ }).count()).toBe(0);
    await p.context().close();
  });
});
