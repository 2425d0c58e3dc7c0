/**
 * The whole stack form in Debian's headless chromium against a real server: vendor blocks,
 * hooks, the worker pool and VCS integration pickers, and the stack's direct attachments, each
 * refusal shown at the field the server names, each change checked through the API.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("web UI: the whole stack form", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team", inheritEntities: true } });
      await t.admin.call("createSpace", { body: { id: "elsewhere", name: "elsewhere" } });
      await t.admin.call("createWorkerPool", { body: { id: "team-pool", name: "team pool", spaceId: "team" } });
      await t.admin.call("createWorkerPool", { body: { id: "far-pool", name: "far pool", spaceId: "elsewhere" } });
      await t.admin.call("createVcsIntegration", { body: { id: "team-git", name: "team git", provider: "RAW_GIT", spaceId: "team" } });
      await t.admin.call("createContext", { body: { id: "shared-env", name: "shared env", spaceId: "team" } });
      await t.admin.call("createPolicy", { body: { id: "no-deletes", name: "no deletes", type: "PLAN", spaceId: "team", body: "package spacelift\ndeny contains \"no\" if false\n" } });
      await t.admin.call("createAwsIntegration", { body: { id: "team-aws", name: "team aws", spaceId: "team", roleArn: "arn:aws:iam::123456789012:role/deployer" } });
      const writer = await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }]);
      const readerKey = (await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }])).key;
      return { writerKey: writer.key, readerKey };
    },
    logInAs: (_t, given) => ({ apiKey: given.writerKey }),
  });

  it("creates an Ansible stack with hooks, a worker pool and a VCS integration, refusals shown at their fields", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/new/stack`);
    await page.getByLabel("Name").fill("site config");
    await page.getByLabel("Repository").fill("/srv/site.git");
    // Only the pools and integrations the person can read are offered (far-pool is in a space they cannot see).
    await expect.poll(() => page.getByLabel("Worker pool").locator("option").allTextContents()).toEqual(["the public workers", "team pool (team-pool)"]);
    await expect.poll(() => page.getByLabel("VCS integration").locator("option").allTextContents()).toEqual(["none: events are matched by repository", "team git (team-git), RAW_GIT"]);
    await page.getByLabel("Vendor").selectOption("ANSIBLE");
    // Terraform-only settings leave the form for another vendor.
    expect(await page.getByLabel("Version", { exact: true }).count()).toBe(0);
    await page.getByLabel("Playbook").fill("../site.yml");
    await page.getByText("Hooks (none)").click();
    await page.getByLabel("Before plan").fill("echo one\n\necho two");
    await page.getByLabel("After run (always, last)").fill("./notify.sh");
    await page.getByLabel("Worker pool").selectOption("team-pool");
    await page.getByLabel("VCS integration").selectOption("team-git");
    await page.getByRole("button", { name: "Create stack" }).click();
    expect(await fieldProblem(page, "Playbook")).toContain("must be a relative path inside the project root");
    await expectA11yClean(page, "new-stack-vendor-refused");
    await page.getByLabel("Playbook").fill("site.yml");
    await page.getByRole("button", { name: "Create stack" }).click();
    await page.waitForURL(`${t.url}/stacks/site-config`);
    expect(await t.admin.call("getStack", { params: { id: "site-config" } })).toMatchObject({
      vendor: "ANSIBLE", ansible: { playbook: "site.yml" }, manageState: false, workerPoolId: "team-pool", vcsIntegrationId: "team-git",
      hooks: { beforePlan: ["echo one", "echo two"], afterRun: ["./notify.sh"], beforeInit: [] },
    });
  });

  it("switches the stack to Kubernetes and changes its hooks and pool in the settings", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/site-config/settings`);
    // Set hooks unfold the section by themselves.
    expect(await page.getByLabel("Before plan").inputValue()).toBe("echo one\necho two");
    await page.getByLabel("Vendor").selectOption("KUBERNETES");
    await page.getByLabel("Namespace").fill("Apps");
    await page.getByLabel("kubectl version").fill("latest");
    await page.getByRole("button", { name: "Save settings" }).click();
    expect(await fieldProblem(page, "Namespace")).toContain("must be a Kubernetes namespace name");
    expect(await fieldProblem(page, "kubectl version")).toContain("must be an exact version");
    await page.getByLabel("Namespace").fill("apps");
    await page.getByLabel("kubectl version").fill("1.32.4");
    await page.getByLabel("Before plan").fill("");
    await page.getByLabel("Worker pool").selectOption("");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await t.admin.call("getStack", { params: { id: "site-config" } })).toMatchObject({
      vendor: "KUBERNETES", kubernetes: { namespace: "apps", kubectlVersion: "1.32.4" }, ansible: null, workerPoolId: null, hooks: { beforePlan: [], afterRun: ["./notify.sh"] },
    });
    // Back to terraform: its own settings come back to the form.
    await t.admin.call("updateStack", { params: { id: "site-config" }, body: { vendor: "TERRAFORM", manageState: true } });
    await page.reload();
    await page.getByLabel("Version", { exact: true }).fill("1.11.4");
    await page.getByLabel("Workflow tool").selectOption("OPEN_TOFU");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await t.admin.call("getStack", { params: { id: "site-config" } })).toMatchObject({ vendor: "TERRAFORM", workflowTool: "OPEN_TOFU", terraformVersion: "1.11.4", kubernetes: null });
  });

  it("attaches a context with a priority, a policy and an AWS integration, and detaches them", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/site-config/settings`);
    const section = page.getByRole("region", { name: "Attached contexts, policies and integrations" });
    await section.getByText("Nothing is attached directly.").waitFor();
    const ctx = section.getByRole("form", { name: "attach context" });
    await ctx.getByLabel("Context").selectOption("shared-env");
    await ctx.getByLabel("Priority").fill("-1");
    await ctx.getByRole("button", { name: "Attach context" }).click();
    expect(await fieldProblem(page, "Priority")).toContain("0");
    await ctx.getByLabel("Priority").fill("5");
    await ctx.getByRole("button", { name: "Attach context" }).click();
    await section.getByRole("row", { name: /shared env/ }).getByText("priority 5").waitFor();
    const pol = section.getByRole("form", { name: "attach policy" });
    await pol.getByLabel("Policy").selectOption("no-deletes");
    await pol.getByRole("button", { name: "Attach policy" }).click();
    await section.getByRole("row", { name: /no deletes \(PLAN\)/ }).waitFor();
    const aws = section.getByRole("form", { name: "attach aws integration" });
    await aws.getByLabel("AWS integration").selectOption("team-aws");
    await aws.getByLabel("Write: tracked runs get credentials").uncheck();
    await aws.getByRole("button", { name: "Attach aws integration" }).click();
    await section.getByRole("row", { name: /team aws/ }).getByText("read (proposed runs)").waitFor();
    const stored = await t.admin.call("listStackAttachments", { params: { id: "site-config" } });
    // Priority means something for contexts only, read and write for integrations only.
    expect(stored.items.map((a) => (a.kind === "context" ? [a.kind, a.entityId, a.priority] : a.kind === "aws_integration" ? [a.kind, a.entityId, a.read, a.write] : [a.kind, a.entityId])).sort()).toEqual([
      ["aws_integration", "team-aws", true, false], ["context", "shared-env", 5], ["policy", "no-deletes"],
    ]);
    await expectA11yClean(page, "stack-attachments");
    await section.getByRole("button", { name: "Detach shared env" }).click();
    await expect.poll(async () => (await t.admin.call("listStackAttachments", { params: { id: "site-config" } })).items.map((a) => a.entityId).sort()).toEqual(["no-deletes", "team-aws"]);
    await section.getByRole("row", { name: /shared env/ }).waitFor({ state: "detached" });
    // The stack page explains it: attached directly.
    await page.goto(`${t.url}/stacks/site-config`);
    await page.getByText("attached directly").first().waitFor();
  });

  it("gives a reader no attach or detach buttons, and the API refuses the reader", async () => {
    const { t, given: { readerKey } } = web;
    const p = await web.pageAs({ apiKey: readerKey });
    await p.goto(`${t.url}/stacks/site-config/settings`);
    await p.getByRole("alert").filter({ hasText: "needs the write role in space team" }).waitFor();
    expect(await p.getByRole("button", { name: /Attach|Detach/ }).count()).toBe(0);
    expect((await failure(t.client(readerKey).call("attachContext", { params: { id: "site-config", entityId: "shared-env" }, body: { priority: 0 } }))).status).toBe(403);
    expect((await failure(t.client(readerKey).call("detachPolicy", { params: { id: "site-config", entityId: "no-deletes" } }))).status).toBe(403);
    await p.context().close();
  });
});
