/**
 * The module registry pages, in Debian's headless chromium against a real server (with its
 * HTTPS registry), worker and terraform: a stack's real `terraform init` downloads a module
 * version from Gantry's registry and becomes its consumer; publishing a newer version from the
 * page shows "newer available" on that consumer; a version's changelog; yank; the source address
 * copied; a reader sees no publish or yank buttons.
 */
import { describe, expect, it } from "vitest";
import { makeRepo, waitForRun } from "../../worker/test/fixtures.js";
import { expectA11yClean, screenshot, seriousA11yViolations, webSession } from "./browser.js";

const vpc = (cidr: string) => ({ "main.tf": `output "cidr" {\n  value = "${cidr}"\n}\n` });

describe("module registry pages", () => {
  const web = webSession({
    settings: { httpsPort: 0 },
    worker: { concurrency: 1 },
    given: async (t) => {
      const moduleRepo = makeRepo(vpc("10.0.0.0/16"));
      moduleRepo.git("tag", "v1.0.0");
      const m = await t.admin.call("createModule", { body: { id: "vpc", name: "vpc", terraformProvider: "aws", namespace: "acme", description: "the network every service sits in", repository: moduleRepo.path, labels: ["networking"] } });
      expect(m.latestVersion).toBe("1.0.0");
      const stackRepo = makeRepo({ "main.tf": `module "vpc" {\n  source  = "${m.source}"\n  version = "~> 1.0"\n}\noutput "cidr" {\n  value = module.vpc.cidr\n}\n` });
      await t.admin.call("createStack", { body: { id: "network", name: "network", repository: stackRepo.path } });
      // A real init downloads 1.0.0 from the registry and reports it: the stack becomes a consumer.
      const run = await t.admin.call("createRun", { params: { id: "network" }, body: { type: "PROPOSED" } });
      const done = await waitForRun(t.admin, run.id, undefined, 180_000);
      expect(done.state, JSON.stringify(done.history)).toBe("FINISHED");
      const reader = await t.admin.call("createUser", { body: { username: "reader", password: "correct horse battery staple" } });
      await t.admin.call("createRoleBinding", { body: { spaceId: "root", role: "read", subjectType: "user", subjectId: reader.id } });
      return { moduleRepo, source: m.source };
    },
    context: { permissions: ["clipboard-read", "clipboard-write"] },
  });

  it("lists modules and shows a module's source address, versions and consumers", async () => {
    const { t, page, given: { source } } = web;
    await page.goto(`${t.url}/modules`);
    const row = page.getByRole("row", { name: /acme\/vpc/ });
    expect(await row.textContent()).toContain("1.0.0");
    await row.getByRole("link").click();
    await page.waitForURL(`${t.url}/modules/vpc`);
    expect(await page.locator("#module-source").textContent()).toBe(source);
    await page.getByRole("button", { name: "Copy source address" }).click();
    await page.getByRole("status").filter({ hasText: "Copied." }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(source);
    expect(await page.getByRole("region", { name: "Use it" }).getByLabel("example module block").textContent()).toContain(`version = "~> 1.0.0"`);
    expect(await page.getByRole("table", { name: "versions" }).getByRole("row", { name: /1\.0\.0/ }).textContent()).toContain("ACTIVE");
    const consumer = page.getByRole("table", { name: "consumers" }).getByRole("row", { name: /network/ });
    expect(await consumer.textContent()).toContain("1.0.0");
    expect(await consumer.textContent()).toContain("up to date");
  });

  it("publishes a newer version from the page: the consumer shows it is available, and its changelog", async () => {
    const { t, page, given: { moduleRepo } } = web;
    moduleRepo.commit(vpc("10.1.0.0/16"), "widen the network");
    moduleRepo.git("tag", "v1.1.0");
    await page.goto(`${t.url}/modules/vpc`);
    await page.getByLabel("Publish the version at a git ref").fill("v1.1.0");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("status").filter({ hasText: "Published 1.1.0." }).waitFor();
    const consumer = page.getByRole("table", { name: "consumers" }).getByRole("row", { name: /network/ });
    await expect.poll(() => consumer.textContent()).toContain("newer available: 1.1.0");
    expect(await consumer.textContent()).toContain("1.0.0");
    await page.getByRole("link", { name: "1.1.0", exact: true }).click();
    await page.waitForURL(`${t.url}/modules/vpc/versions/1.1.0`);
    await page.getByRole("heading", { name: /Changelog since 1\.0\.0/ }).waitFor();
    expect(await page.getByRole("list", { name: "commits" }).textContent()).toContain("widen the network");
    expect(await page.getByRole("list", { name: "files changed" }).textContent()).toContain("main.tf");
    await expectA11yClean(page, "module-version");
  });

  it("yanks and restores a version", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/modules/vpc`);
    await page.getByRole("button", { name: "Yank 1.0.0" }).click();
    const v100 = page.getByRole("table", { name: "versions" }).getByRole("row", { name: /1\.0\.0/ });
    await expect.poll(() => v100.textContent()).toContain("YANKED");
    expect((await t.admin.call("getModuleVersion", { params: { id: "vpc", version: "1.0.0" } })).state).toBe("YANKED");
    await page.getByRole("button", { name: "Restore 1.0.0" }).click();
    await expect.poll(() => v100.textContent()).toContain("ACTIVE");
    // A ref that is not there: the server's refusal is shown.
    await page.getByLabel("Publish the version at a git ref").fill("v9.9.9");
    await page.getByRole("button", { name: "Publish" }).click();
    await expect.poll(async () => (await page.getByRole("alert").allTextContents()).join(" ") + (await page.getByRole("status").allTextContents()).join(" ")).toMatch(/v9\.9\.9/);
    for (const [path, name] of [["/modules", "modules"], ["/modules/vpc", "module"]] as const) {
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${t.url}${path}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await page.waitForLoadState("networkidle");
        expect(await seriousA11yViolations(page), `${path} ${scheme}`).toEqual([]);
        await screenshot(page, `${name}-${scheme}`);
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("gives a reader the module page without publish or yank buttons", async () => {
    const { t } = web;
    const p = await web.pageAs({ username: "reader", password: "correct horse battery staple" });
    await p.goto(`${t.url}/modules/vpc`);
    await p.getByRole("table", { name: "versions" }).waitFor();
    expect(await p.getByLabel("Publish the version at a git ref").count()).toBe(0);
    expect(await p.getByRole("button", { name: /Yank|Restore/ }).count()).toBe(0);
    await p.goto(`${t.url}/modules/nope`);
    await p.getByRole("heading", { name: "Not found" }).waitFor();
    await p.context().close();
  });
});
