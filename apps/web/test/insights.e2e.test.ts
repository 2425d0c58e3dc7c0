/**
 * The web UI's speed work, sorting, organisation-wide dependency graph, reviews and run
 * durations, in Debian's headless chromium against a real server: the first page ships no zod
 * and its data request starts before the app renders; the stacks table sorts on the server from
 * its headers (mouse and keyboard); the dependency graph of every readable stack filters by
 * space and label and opens a stack from the keyboard; a review's author, decision and note show
 * on the run page; axe-core finds nothing serious in either scheme.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeRepo } from "../../worker/test/fixtures.js";
import { expectA11yClean, screenshot, seriousA11yViolations, webSession } from "./browser.js";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Held before it starts until a person approves; a rejection fails it. */
const heldForReview = `package spacelift
import rego.v1
approve if count(input.reviews.current.approvals) >= 1
reject if count(input.reviews.current.rejections) > 0`;

describe("web UI: speed, sorting, dependency graph, reviews", () => {
  const web = webSession({
    given: async (t) => {
      const repo = makeRepo();
      await t.admin.call("createSpace", { body: { id: "net", name: "net" } });
      await t.admin.call("createSpace", { body: { id: "apps", name: "apps", inheritEntities: true } });
      await t.admin.call("createPolicy", { body: { id: "held", name: "held", type: "APPROVAL", body: heldForReview, labels: ["autoattach:held"] } });
      // Names sort differently from ids: sorting by name is visible.
      for (const [id, name, spaceId, labels] of [["vpc", "a-vpc", "net", ["env:prod"]], ["dns", "b-dns", "net", []], ["api", "c-api", "apps", ["env:prod"]], ["web", "d-web", "apps", []], ["lonely", "e-lonely", "apps", ["held"]]] as const) {
        await t.admin.call("createStack", { body: { id, name, spaceId, repository: repo.path, labels: [...labels] } });
      }
      await t.admin.call("createStackDependency", { params: { id: "api" }, body: { dependsOnStackId: "vpc" } });
      await t.admin.call("createStackDependency", { params: { id: "web" }, body: { dependsOnStackId: "api" } });
      await t.admin.call("createStackDependency", { params: { id: "dns" }, body: { dependsOnStackId: "vpc" } });
    },
  });

  it("ships no zod to the first page and asks for the page's data before the app renders", async () => {
    const { t, page } = web;
    const html = readFileSync(join(dist, "index.html"), "utf8");
    // The entry script and the app's chunk that index.html preloads.
    const scripts = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => readFileSync(join(dist, "assets", m[1]!), "utf8"));
    expect(scripts.length).toBe(2);
    for (const js of scripts) expect(js).not.toMatch(/ZodError|\$ZodType/);
    const p = await page.context().newPage();
    const requested: string[] = [];
    p.on("request", (r) => { if (r.url().includes("/api/v1/")) requested.push(new URL(r.url()).pathname); });
    await p.goto(`${t.url}/stacks/api`);
    await p.getByRole("heading", { level: 1, name: /c-api/ }).waitFor();
    // The stack and its runs are the first API requests: started by the entry module, not after rendering.
    expect(requested.slice(0, 3).sort()).toEqual(["/api/v1/me", "/api/v1/stacks/api", "/api/v1/stacks/api/runs"]);
    await p.close();
  });

  it("opens a stack from the list with its header from the list's row, then its runs and the sections below", async () => {
    const { t, page } = web;
    const p = await page.context().newPage();
    await p.goto(`${t.url}/stacks`);
    await p.getByRole("link", { name: "c-api", exact: true }).waitFor();
    const requested: string[] = [];
    p.on("request", (r) => { if (r.url().includes("/api/v1/")) requested.push(new URL(r.url()).pathname); });
    await p.getByRole("link", { name: "c-api", exact: true }).click();
    await p.waitForURL(`${t.url}/stacks/api`);
    await p.getByRole("heading", { level: 1, name: /c-api/ }).waitFor();
    await expect.poll(() => p.getByRole("region", { name: "Runs" }).textContent()).toContain("No runs yet.");
    // The list was loaded a moment ago: the header needed no request of its own.
    expect(requested).not.toContain("/api/v1/stacks/api");
    expect(requested).toContain("/api/v1/stacks/api/runs");
    // The sections below the runs arrive without scrolling (shortly after the runs), each once.
    await p.getByRole("region", { name: "Outputs" }).waitFor();
    await expect.poll(() => p.getByRole("region", { name: "Policies, contexts and integrations" }).textContent()).toContain("Contexts");
    expect(requested.filter((r) => r === "/api/v1/stacks/api/explain")).toHaveLength(1);
    // A modified click keeps the browser's behaviour (a new tab), not the router's.
    await p.goto(`${t.url}/stacks`);
    const [tab] = await Promise.all([p.context().waitForEvent("page"), p.getByRole("link", { name: "b-dns", exact: true }).click({ modifiers: ["ControlOrMeta"] })]);
    await tab.waitForURL(`${t.url}/stacks/dns`);
    await tab.close();
    expect(p.url()).toBe(`${t.url}/stacks`);
    await p.close();
  });

  it("sorts the stacks table on the server from its column headers", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks`);
    const firstStack = () => page.getByRole("row").nth(1).getByRole("link").first().textContent();
    await expect.poll(firstStack).toBe("c-api");
    await page.getByRole("button", { name: /^Stack/ }).click();
    await page.waitForURL(/sort=name/);
    await expect.poll(firstStack).toBe("a-vpc");
    expect(await page.getByRole("columnheader", { name: /Stack/ }).getAttribute("aria-sort")).toBe("ascending");
    // From the keyboard: Enter on the focused header reverses the order.
    await page.getByRole("button", { name: /^Stack/ }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/sort=-name/);
    await expect.poll(firstStack).toBe("e-lonely");
    expect(await page.getByRole("columnheader", { name: /Stack/ }).getAttribute("aria-sort")).toBe("descending");
    await page.getByRole("button", { name: /^Space/ }).click();
    await page.waitForURL(/sort=space/);
    expect(await page.getByRole("row").nth(1).getByRole("cell").nth(3).textContent()).toBe("apps");
    // The address is the state: a reload keeps the order.
    await page.reload();
    await expect.poll(() => page.getByRole("row").nth(1).getByRole("cell").nth(3).textContent()).toBe("apps");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "stacks-sorted");
  });

  it("draws every readable dependency, filters by space and label, and opens a stack from the keyboard", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/dependencies`);
    await page.getByRole("heading", { level: 1, name: "Dependencies" }).waitFor();
    const graph = page.getByRole("group", { name: /^dependency graph/ });
    await expect.poll(() => graph.getByRole("link").count()).toBe(4);
    expect(await page.getByRole("status").textContent()).toContain("4 stacks, 3 dependencies");
    expect(await graph.getByRole("link", { name: /lonely/ }).count()).toBe(0);
    await expectA11yClean(page, "dependencies");
    await page.getByLabel("Space", { exact: true }).selectOption("apps");
    await expect.poll(() => page.getByRole("status").textContent()).toContain("3 stacks, 2 dependencies");
    await page.getByLabel("Space", { exact: true }).selectOption("");
    await page.getByLabel("Label", { exact: true }).fill("env:prod");
    await page.waitForURL(/label=/);
    await expect.poll(() => page.getByRole("status").textContent()).toContain("4 stacks, 3 dependencies");
    await graph.getByRole("link", { name: /^stack web/ }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${t.url}/stacks/web`);
  });

  it("lists a run's reviews with who, what, when and the note", async () => {
    const { t, page } = web;
    const run = await t.admin.call("createRun", { params: { id: "lonely" }, body: { type: "TRACKED" } });
    await page.goto(`${t.url}/stacks/lonely/runs/${run.id}`);
    await page.getByRole("heading", { level: 1, name: /QUEUED/ }).waitFor();
    const reviews = page.getByRole("region", { name: "Reviews" });
    await expect.poll(() => reviews.textContent()).toContain("Nobody has reviewed this run.");
    await page.getByLabel("Review note").fill("checked the plan with the DBA");
    await page.getByRole("button", { name: "Approve" }).click();
    const row = reviews.getByRole("row", { name: /admin/ });
    await expect.poll(() => row.textContent()).toContain("approved");
    expect(await row.textContent()).toContain("checked the plan with the DBA");
    expect(await row.textContent()).toContain("QUEUED");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "run-reviews");
  });

  it("draws the stack's run durations over time", async () => {
    const { t, page } = web;
    for (let i = 0; i < 3; i++) {
      const run = await t.admin.call("createRun", { params: { id: "dns" }, body: { type: "PROPOSED" } });
      await t.admin.call("cancelRun", { params: { id: run.id } });
    }
    await page.goto(`${t.url}/stacks/dns`);
    const chart = page.getByRole("img", { name: /^Durations of the last 3 finished runs, started .* to .*; 3 failed\.$/ });
    await chart.waitFor();
    // A labelled time axis (the runs' start times) and duration axis.
    const labels = await chart.locator("text").allTextContents();
    expect(labels).toContain("Run started");
    expect(labels).toContain("Duration");
    expect(labels.filter((l) => /\d{1,2}:\d{2}/.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(await chart.locator("rect.dot-bad").count()).toBe(3);
    // The same numbers as a table.
    await page.getByText("The durations as a table").click();
    const table = page.getByRole("table", { name: "Run durations" });
    await expect.poll(() => table.getByRole("row").count()).toBe(4);
    expect(await table.getByRole("row").nth(1).textContent()).toMatch(/CANCELED/);
    await expectA11yClean(page, "run-durations", { of: chart });
  });
});
