/**
 * Stack dependencies on the stack page, in Debian's headless chromium against a real server and
 * (for the upstream's applied outputs) a real worker and terraform: a stack found among many by
 * typing and added as a dependency, a cycle refused at the picker naming it, output references
 * added from the upstream's outputs (sensitive ones masked) or typed, refused at their field and
 * removed, a deploy with dependents listing the runs it queued, a dependency removed, the same
 * done from the keyboard alone, and a reader given none of it (the API refusing it anyway).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker } from "@gantry/worker";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { makeRepo, waitForRun } from "../../worker/test/fixtures.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

/** Enough stacks that the picker's first page (50) cannot hold them all: it must search. */
const FILLERS = 70;

describe("stack dependencies on the stack page", () => {
  const web = webSession({
    given: async (t) => {
      const repo = makeRepo();
      await t.admin.call("createSpace", { body: { id: "net", name: "net" } });
      await t.admin.call("createStack", { body: { id: "network", name: "network", spaceId: "net", repository: repo.path, autodeploy: true } });
      for (const id of ["app", "db", "cache"]) await t.admin.call("createStack", { body: { id, name: id, repository: repo.path } });
      for (let i = 0; i < FILLERS; i++) await t.admin.call("createStack", { body: { id: `filler-${String(i).padStart(3, "0")}`, name: `filler ${i}`, repository: repo.path } });
      const readerKey = (await userWithRole(t, "reader", [{ spaceId: "root", role: "read" }])).key;
      // One real apply gives "network" outputs (greeting = "hello", hidden: sensitive); then no
      // worker (so not the session's `worker` option), so deployed runs stay queued and the
      // loaded machine runs no more terraform.
      const worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 1, workDir: mkdtempSync(join(tmpdir(), "gantry-web-deps-")), claimWaitMs: 5000 });
      await worker.ready;
      const applied = await t.admin.call("createRun", { params: { id: "network" }, body: { type: "TRACKED" } });
      expect((await waitForRun(t.admin, applied.id, undefined, 180_000)).state).toBe("FINISHED");
      await worker.stop();
      return { readerKey };
    },
    acceptDialogs: true,
    setUpTimeoutMs: 400_000,
  });

  const deps = (id: string) => web.t.admin.call("listStackDependencies", { params: { id } });
  const dependencies = () => web.page.getByRole("region", { name: "Dependencies" });
  /** Opens a stack page and waits for its dependency lists (rendered once the runs are on screen). */
  async function openStack(p: Page, id: string): Promise<Locator> {
    await p.goto(`${web.t.url}/stacks/${id}`);
    const region = p.getByRole("region", { name: "Dependencies" });
    await region.getByRole("heading", { name: "Runs after (upstream)" }).waitFor({ timeout: 30_000 });
    return region;
  }

  it("finds the upstream stack among many by typing and adds the dependency", async () => {
    const { page } = web;
    const region = await openStack(page, "app");
    const picker = region.getByLabel("Upstream stack (this stack runs after it)");
    // Unsearched, the picker holds the first 50 stacks by id less "app" itself: "network" sorts
    // after the fillers, so only typing (searched on the server) brings it. Nothing is asked
    // before the person turns to the picker.
    expect(await picker.locator("option").allTextContents()).toEqual(["choose a stack"]);
    await region.getByLabel("Find the upstream stack").focus();
    await expect.poll(() => picker.locator("option").count()).toBe(50);
    expect(await picker.locator("option").allTextContents()).not.toContain("network, space net");
    expect(await region.getByText("type more of the id or name to narrow").count()).toBe(1);
    await region.getByLabel("Find the upstream stack").fill("netw");
    await expect.poll(() => picker.locator("option").allTextContents()).toEqual(["choose a stack", "network, space net"]);
    await picker.selectOption("network");
    await region.getByRole("button", { name: "Add dependency" }).click();
    await region.getByRole("region", { name: "network" }).waitFor();
    expect((await deps("app")).dependsOn.map((d) => d.dependsOnStackId)).toEqual(["network"]);
    // A stack already depended on, and the stack itself, are not offered again.
    for (const text of ["netw", "app"]) {
      await region.getByLabel("Find the upstream stack").fill(text);
      await expect.poll(() => picker.locator("option").allTextContents()).toEqual(["choose a stack"]);
    }
    // The graph above draws it.
    await expect.poll(() => region.getByRole("group", { name: /^dependency graph of app/ }).getAttribute("aria-label")).toContain("app depends on network");
  });

  it("refuses a cycle at the picker, naming it, and stores nothing", async () => {
    const { page } = web;
    const region = await openStack(page, "network");
    await region.getByLabel("Find the upstream stack").fill("app");
    const picker = region.getByLabel("Upstream stack (this stack runs after it)");
    await expect.poll(() => picker.locator("option").allTextContents()).toContain("app, space root");
    await picker.selectOption("app");
    await region.getByRole("button", { name: "Add dependency" }).click();
    const message = await fieldProblem(region, "Upstream stack (this stack runs after it)");
    expect(message).toContain("would close the cycle network -> app -> network");
    expect(await region.getByRole("form", { name: "add dependency" }).getByRole("alert").textContent()).toContain("One field needs attention");
    expect((await deps("network")).dependsOn).toEqual([]);
  });

  it("adds output references from the upstream's outputs (sensitive masked), refuses a bad name at its field, removes one", async () => {
    const { page } = web;
    const region = await openStack(page, "app");
    const upstream = region.getByRole("region", { name: "network" });
    const form = upstream.getByRole("form", { name: "read an output of network" });
    const output = form.getByLabel("Output", { exact: true });
    await expect.poll(() => output.locator("option").allTextContents()).toEqual(["choose an output", "greeting", "hidden", "another output (type its name)"]);
    await output.selectOption("greeting");
    expect(await form.getByLabel("Environment variable").inputValue()).toBe("TF_VAR_greeting");
    await form.getByRole("button", { name: "Add reference" }).click();
    const table = upstream.getByRole("table", { name: "outputs of network read by app" });
    await expect.poll(async () => (await table.count()) ? table.getByRole("row", { name: /greeting/ }).textContent() : "").toContain("hello");
    // A bad environment variable name is refused at its field, nothing stored.
    await output.selectOption("hidden");
    const env = form.getByLabel("Environment variable");
    await env.fill("1-not-a-name");
    await form.getByRole("button", { name: "Add reference" }).click();
    expect(await fieldProblem(form, "Environment variable")).toContain("must be an environment variable name");
    expect((await deps("app")).dependsOn[0]!.references.map((r) => r.inputName)).toEqual(["TF_VAR_greeting"]);
    await env.fill("HIDDEN_VALUE");
    await form.getByRole("button", { name: "Add reference" }).click();
    await expect.poll(() => table.getByRole("row", { name: /HIDDEN_VALUE/ }).count()).toBe(1);
    expect(await table.getByRole("row", { name: /HIDDEN_VALUE/ }).textContent()).toContain("sensitive (hidden)");
    expect(await page.content()).not.toContain("classified");
    // An output the upstream has not applied yet is typed.
    await output.selectOption("another output (type its name)");
    await form.getByLabel("Output name").fill("vpc_id");
    await env.fill("TF_VAR_vpc_id");
    await form.getByLabel(/after every change of the upstream/).check();
    await form.getByRole("button", { name: "Add reference" }).click();
    await expect.poll(() => table.getByRole("row", { name: /TF_VAR_vpc_id/ }).count()).toBe(1);
    expect(await table.getByRole("row", { name: /TF_VAR_vpc_id/ }).textContent()).toContain("not in the latest applied state");
    const stored = (await deps("app")).dependsOn[0]!.references;
    expect(stored.map((r) => [r.outputName, r.inputName, r.triggerAlways])).toEqual([["greeting", "TF_VAR_greeting", false], ["hidden", "HIDDEN_VALUE", false], ["vpc_id", "TF_VAR_vpc_id", true]]);
    await expectA11yClean(page, "stack-dependencies");
    await table.getByRole("button", { name: "Remove reference TF_VAR_vpc_id" }).click();
    await expect.poll(() => table.getByRole("row", { name: /TF_VAR_vpc_id/ }).count()).toBe(0);
    expect((await deps("app")).dependsOn[0]!.references.map((r) => r.inputName)).toEqual(["TF_VAR_greeting", "HIDDEN_VALUE"]);
  });

  it("offers a free-text output name for an upstream that never applied", async () => {
    const { t, page } = web;
    await t.admin.call("createStackDependency", { params: { id: "cache" }, body: { dependsOnStackId: "db" } });
    const region = await openStack(page, "cache");
    const form = region.getByRole("region", { name: "db" }).getByRole("form", { name: "read an output of db" });
    await form.getByLabel("Output", { exact: true }).fill("endpoint");
    await form.getByLabel("Environment variable").fill("DB_ENDPOINT");
    await form.getByRole("button", { name: "Add reference" }).click();
    await expect.poll(async () => (await deps("cache")).dependsOn[0]!.references.map((r) => r.outputName)).toEqual(["endpoint"]);
    await expect.poll(() => region.getByRole("row", { name: /DB_ENDPOINT/ }).count()).toBe(1);
  });

  it("deploys with dependents and lists the queued runs, each a link", async () => {
    const { t, page } = web;
    await openStack(page, "network");
    const deploy = dependencies().getByRole("form", { name: "deploy" });
    await deploy.getByLabel("with dependents").check();
    await deploy.getByRole("button", { name: "Deploy" }).click();
    const queued = dependencies().getByRole("list", { name: "queued runs" });
    await expect.poll(() => queued.getByRole("link").allTextContents()).toEqual([expect.stringMatching(/^network: run /), expect.stringMatching(/^app: run /)]);
    const [networkRun] = (await t.admin.call("listStackRuns", { params: { id: "network" }, query: {} })).items;
    const [appRun] = (await t.admin.call("listStackRuns", { params: { id: "app" }, query: {} })).items;
    expect(networkRun!.type).toBe("TRACKED");
    expect(appRun!.type).toBe("TRACKED");
    await queued.getByRole("link", { name: /^app: run / }).click();
    await page.waitForURL(`${t.url}/stacks/app/runs/${appRun!.id}`);
  });

  it("shows the server's refusal of a deploy with a dependent the person cannot write, and queues nothing", async () => {
    const { t } = web;
    const { key } = await userWithRole(t, "netops", [{ spaceId: "root", role: "read" }, { spaceId: "net", role: "write" }]);
    const p = await web.pageAs({ apiKey: key });
    const before = (await t.admin.call("listStackRuns", { params: { id: "network" }, query: {} })).items.length;
    const region = await openStack(p, "network");
    const deploy = region.getByRole("form", { name: "deploy" });
    await deploy.getByLabel("with dependents").check();
    await deploy.getByRole("button", { name: "Deploy" }).click();
    await expect.poll(async () => (await region.getByRole("alert").count()) ? region.getByRole("alert").textContent() : "").toContain("needs the write role in space \"root\"");
    expect((await t.admin.call("listStackRuns", { params: { id: "network" }, query: {} })).items.length).toBe(before);
    // The dependencies of "app" are its own: netops (read there) gets no forms on its page.
    const app = await openStack(p, "app");
    expect(await app.getByRole("form").count()).toBe(0);
    await p.context().close();
  });

  it("adds and removes a dependency with the keyboard alone", async () => {
    const { page } = web;
    const region = await openStack(page, "db");
    await region.getByLabel("Find the upstream stack").focus();
    await page.keyboard.type("filler 69");
    const picker = region.getByLabel("Upstream stack (this stack runs after it)");
    await expect.poll(() => picker.locator("option").allTextContents()).toEqual(["choose a stack", "filler 69 (filler-069), space root"]);
    await page.keyboard.press("Enter"); // narrows, does not send the form
    await page.keyboard.press("Tab");
    expect(await picker.evaluate((el) => el.matches(":focus"))).toBe(true);
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => picker.inputValue()).toBe("filler-069");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const upstream = region.getByRole("region", { name: "filler-069" });
    await upstream.waitFor();
    expect((await deps("db")).dependsOn.map((d) => d.dependsOnStackId)).toEqual(["filler-069"]);
    await upstream.getByRole("button", { name: "Remove dependency on filler-069" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => upstream.count()).toBe(0);
    expect((await deps("db")).dependsOn).toEqual([]);
  });

  it("gives a reader the lists without a button or form (and the API refuses them)", async () => {
    const { t, given: { readerKey } } = web;
    const p = await web.pageAs({ apiKey: readerKey });
    const region = await openStack(p, "app");
    await region.getByRole("region", { name: "network" }).getByRole("table").waitFor();
    expect(await region.textContent()).toContain("needs the write role on this stack");
    expect(await region.getByRole("button").count()).toBe(0);
    expect(await region.getByRole("form").count()).toBe(0);
    expect(await region.textContent()).toContain("sensitive (hidden)");
    const api = t.client(readerKey);
    const dep = (await deps("app")).dependsOn[0]!;
    expect((await failure(api.call("createStackDependency", { params: { id: "app" }, body: { dependsOnStackId: "db" } }))).status).toBe(403);
    expect((await failure(api.call("deleteStackDependency", { params: { id: "app", dependencyId: dep.id } }))).status).toBe(403);
    expect((await failure(api.call("createStackDependencyReference", { params: { id: "app" }, body: { dependencyId: dep.id, outputName: "greeting", inputName: "X" } }))).status).toBe(403);
    expect((await failure(api.call("deleteStackDependencyReference", { params: { id: "app", referenceId: dep.references[0]!.id } }))).status).toBe(403);
    expect((await failure(api.call("deployStack", { params: { id: "app" }, body: {} }))).status).toBe(403);
    await expectA11yClean(p);
    await p.context().close();
  });

  it("removes a dependency with its references", async () => {
    const { page } = web;
    const region = await openStack(page, "app");
    await region.getByRole("button", { name: "Remove dependency on network" }).click();
    await expect.poll(() => region.getByRole("region", { name: "network" }).count()).toBe(0);
    await expect.poll(() => region.textContent()).toContain("This stack depends on no other stack.");
    expect((await deps("app")).dependsOn).toEqual([]);
  });
});
