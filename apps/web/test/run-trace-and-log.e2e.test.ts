/**
 * The run page's policy traces and full log download, in Debian's headless chromium against a
 * real server, worker and terraform: "Explain" behind a plan policy's receipt loads OPA's trace in
 * the mode picked (full, debug, notes, fails) and of the body picked (the one that decided, or
 * the current one after an edit), searchable; a trace of tens of thousands of lines keeps
 * only the visible ones in the page; the stored log downloads as a text file with the write-only
 * value masked as the server gives it; a reader can do both.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { userWithRole } from "../../server/test/harness.js";
import { makeRepo, runLog, simpleConfig, waitForRun } from "../../worker/test/fixtures.js";
import { expectA11yClean, webSession } from "./browser.js";

const guard = `package spacelift
import rego.v1
deny contains sprintf("%s may not be created in guarded stacks", [rc.address]) if {
  some rc in input.terraform.resource_changes
  trace(sprintf("checking %s", [rc.address]))
  "create" in rc.change.actions
}`;

/** Decides nothing, but walks 8,000 numbers: its full trace runs to about 25,000 lines, one note near the end. */
const busy = `package spacelift
import rego.v1
sevens contains n if {
  some n in numbers.range(1, 8000)
  n % 7 == 0
  n > 7990
  trace(sprintf("reached %d", [n]))
}
warn contains "never" if count(sevens) == 0`;

/** Runs in the page: whether the element has the keyboard focus. */
const isFocused = (el: unknown) => el === (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement;

describe("policy traces and the log download on the run page", () => {
  const web = webSession({
    worker: { concurrency: 1 },
    given: async (t) => {
      await t.admin.call("createPolicy", { body: { id: "guard", name: "guard", type: "PLAN", body: guard, labels: ["autoattach:guarded"] } });
      await t.admin.call("createPolicy", { body: { id: "busy", name: "busy", type: "PLAN", body: busy, labels: ["autoattach:guarded"] } });
      await t.admin.call("createStack", { body: { id: "guarded", name: "guarded", repository: makeRepo({ "main.tf": simpleConfig }).path, manageState: false, labels: ["guarded"] } });
      await t.admin.call("putStackVariable", { params: { id: "guarded", name: "TF_VAR_greeting" }, body: { value: "hunter2-very-secret", writeOnly: true } });
      const run = await t.admin.call("createRun", { params: { id: "guarded" }, body: { type: "TRACKED" } });
      const done = await waitForRun(t.admin, run.id, undefined, 120_000);
      expect(done.policyReceipts.find((r) => r.policyId === "guard")?.outcome).toBe("deny");
      const readerKey = (await userWithRole(t, "reader", [{ spaceId: "root", role: "read" }])).key;
      return { runId: run.id, readerKey };
    },
    setUpTimeoutMs: 300_000,
  });

  it("explains a receipt: OPA's trace in the mode picked, searchable, keyboard only", async () => {
    const { t, page, given: { runId } } = web;
    await page.goto(`${t.url}/stacks/guarded/runs/${runId}`);
    const explain = page.getByRole("button", { name: "Explain guard" });
    await explain.focus();
    await page.keyboard.press("Enter");
    const heading = page.getByRole("heading", { name: "Trace of guard" });
    await expect.poll(() => heading.evaluate(isFocused)).toBe(true);
    expect(await explain.getAttribute("aria-expanded")).toBe("true");
    const trace = page.getByRole("region", { name: "evaluation trace of guard" });
    await expect.poll(() => trace.textContent()).toMatch(/^query:1 +Enter data\.spacelift/);
    expect(await trace.textContent()).toContain("Note \"checking terraform_data.greeting\"");

    // Notes only: the trace() calls and the rules around them.
    await page.getByLabel("What to show").selectOption("notes");
    await expect.poll(() => trace.textContent()).toMatch(/Note "checking terraform_data\.greeting"$/);
    expect(await trace.textContent()).not.toContain("Eval");
    // Failures: guard's deny held for the one resource, so nothing failed, and the page says the trace is empty.
    expect((await t.admin.call("explainRunPolicy", { params: { id: runId, policyId: "guard" }, query: { mode: "fails" } })).trace.trim()).toBe("");
    await page.getByLabel("What to show").selectOption("fails");
    await expect.poll(() => page.getByRole("region", { name: "Trace of guard", exact: true }).textContent()).toContain("The trace is empty in this mode.");

    await page.getByLabel("What to show").selectOption("full");
    await expect.poll(() => trace.textContent()).toContain("Note");
    const search = page.getByLabel("Search the trace");
    await search.fill("create");
    await search.press("Enter");
    const panel = page.getByRole("region", { name: "Trace of guard", exact: true });
    await expect.poll(() => panel.getByRole("status").last().textContent()).toMatch(/\d+ matching \(at line \d+\)/);
    expect(await trace.locator(".line.current").textContent()).toContain("create");
    await expectA11yClean(page, "run-policy-trace");
    await page.getByRole("button", { name: "Close the trace" }).click();
    await expect.poll(() => heading.count()).toBe(0);
    await expect.poll(() => explain.evaluate(isFocused)).toBe(true);
  });

  it("keeps a trace of tens of thousands of lines to the lines in view, and finds a line deep in it", async () => {
    const { t, page, given: { runId } } = web;
    await page.goto(`${t.url}/stacks/guarded/runs/${runId}`);
    await page.getByRole("button", { name: "Explain busy" }).click();
    const panel = page.getByRole("region", { name: "Trace of busy", exact: true });
    const count = panel.getByRole("status").last();
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toMatch(/^\d+ lines$/);
    const total = Number(/^(\d+)/.exec((await count.textContent())!)![1]);
    expect(total).toBeGreaterThan(20_000);
    const trace = page.getByRole("region", { name: "evaluation trace of busy" });
    expect(await trace.locator(".line").count()).toBeLessThan(200);
    const search = page.getByLabel("Search the trace");
    await search.fill("reached 7994");
    await search.press("Enter");
    await expect.poll(() => count.textContent()).toMatch(/1 matching \(at line \d+\)/);
    const at = Number(/at line (\d+)/.exec((await count.textContent())!)![1]);
    expect(at).toBeGreaterThan(total / 2);
    await expect.poll(() => trace.locator(".line.current").textContent()).toContain("reached 7994");
    expect(await trace.locator(".line").count()).toBeLessThan(200);
  });

  it("downloads the full stored log as a text file, the write-only value masked", async () => {
    const { t, page, given: { runId } } = web;
    await page.goto(`${t.url}/stacks/guarded/runs/${runId}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the full log" }).click()]);
    expect(download.suggestedFilename()).toBe(`run-${runId}.log`);
    expect(download.url()).toMatch(/^blob:/);
    const text = readFileSync((await download.path())!, "utf8");
    // Every stored entry, in order, each on its own lines, under a line naming its phase (as gantry run logs prints them).
    const { entries } = await t.admin.call("runLogs", { params: { id: runId }, query: {} });
    expect(text).toMatch(/^--- [a-z_]+\n/);
    expect(text.replace(/^--- [a-z_]+\n/gm, "")).toBe(entries.map((e) => (e.text.endsWith("\n") ? e.text : `${e.text}\n`)).join(""));
    expect(new Set(text.match(/^--- [a-z_]+$/gm)).size).toBeGreaterThan(1);
    expect(await runLog(t.admin, runId)).not.toContain("hunter2-very-secret");
    expect(text).toContain("terraform_data.greeting");
    expect(text).not.toContain("hunter2-very-secret");
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Saved" }).textContent()).toMatch(/Saved \d+ log entries\.$/);
  });

  it("lets a reader explain and download too (both need only read)", async () => {
    const { t, given: { runId, readerKey } } = web;
    const p = await web.pageAs({ apiKey: readerKey });
    await p.goto(`${t.url}/stacks/guarded/runs/${runId}`);
    await p.getByRole("button", { name: "Explain guard" }).click();
    await expect.poll(() => p.getByRole("region", { name: "evaluation trace of guard" }).textContent()).toContain("Enter data.spacelift");
    const [download] = await Promise.all([p.waitForEvent("download"), p.getByRole("button", { name: "Download the full log" }).click()]);
    expect(readFileSync((await download.path())!, "utf8")).not.toContain("hunter2-very-secret");
    expect(await p.getByRole("group", { name: "run actions" }).count()).toBe(0);
    await p.context().close();
  });

  it("traces the body that decided after the policy is edited, and the current body when asked", async () => {
    const { t, page, given: { runId } } = web;
    // The edit drops the trace() call, so only a trace of the old body has the note.
    await t.admin.call("updatePolicy", { params: { id: "guard" }, body: { body: guard.replace(/ *trace\(.*\)\n/, "") } });
    await page.goto(`${t.url}/stacks/guarded/runs/${runId}`);
    await page.getByRole("button", { name: "Explain guard" }).click();
    const panel = page.getByRole("region", { name: "Trace of guard", exact: true });
    const trace = page.getByRole("region", { name: "evaluation trace of guard" });
    await expect.poll(() => trace.textContent()).toContain("Note \"checking terraform_data.greeting\"");
    expect(await panel.textContent()).toMatch(/Traced: policy version [0-9a-f]{16}, the one that decided\./);

    await page.getByLabel("Which body").selectOption("current");
    await expect.poll(() => panel.textContent()).toMatch(/Traced: policy version [0-9a-f]{16}; version [0-9a-f]{16} decided\./);
    await expect.poll(() => trace.textContent()).toMatch(/^query:1 +Enter data\.spacelift/);
    expect(await trace.textContent()).not.toContain("Note");
    // Debug: every event, unifications included.
    await page.getByLabel("What to show").selectOption("debug");
    await expect.poll(() => trace.textContent()).toContain("Enter data.spacelift.deny");
    await expectA11yClean(page, "run-policy-trace-current");
  });
});
