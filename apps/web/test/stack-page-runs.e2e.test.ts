/**
 * The stack page's runs and triggers, in Debian's headless chromium against a real server:
 * - runs beyond the newest 50: "Older runs" from the keyboard loads 50 more at a time, announces
 *   how many are shown and moves focus to the first run that arrived, until all 120 are listed;
 * - a run of a given commit of a real git repository: an unknown sha refused at the Commit field
 *   with no run created, then an older commit run, the run's commit read back through the API;
 * - locking with a reason: the reason kept with the lock (read back through the API) and shown
 *   with it, an over-long reason refused at its field, unlocking clears it;
 * - a reader gets none of these controls, and the API refuses them when forced.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { makeRepo, type Repo } from "../../worker/test/fixtures.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("the stack page's runs, commit runs and lock reason", () => {
  const password = "correct horse battery";
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      await t.admin.call("createStack", { body: { id: "busy", name: "busy", spaceId: "team", repository: "/srv/busy.git" } });
      // Proposed runs without a worker stay queued: 120 of them, oldest first.
      for (let i = 0; i < 120; i++) await t.admin.call("createRun", { params: { id: "busy" }, body: { type: "PROPOSED" } });
      const repo: Repo = makeRepo({ "main.tf": "" });
      const older = repo.git("rev-parse", "HEAD");
      repo.commit({ "main.tf": "# newer\n" }, "a newer change");
      await t.admin.call("createStack", { body: { id: "pinned", name: "pinned", spaceId: "team", repository: repo.path } });
      await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }]);
      const readerKey = (await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }])).key;
      return { older, readerKey };
    },
    logInAs: () => ({ username: "writer", password }),
  });

  it("lists runs beyond the newest 50 with Older runs, from the keyboard", async () => {
    const { t, page } = web;
    const all: string[] = [];
    for (let cursor: string | undefined; ;) {
      const p = await t.admin.call("listStackRuns", { params: { id: "busy" }, query: { limit: 100, cursor } });
      all.push(...p.items.map((r) => r.id.slice(-8)));
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
    expect(all).toHaveLength(120);
    await page.goto(`${t.url}/stacks/busy`);
    const runs = page.getByRole("region", { name: "Runs" });
    const rows = runs.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(50);
    await runs.getByRole("status").filter({ hasText: "Showing the newest 50 runs." }).waitFor();

    const older = runs.getByRole("button", { name: "Older runs" });
    await older.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => rows.count()).toBe(100);
    await runs.getByRole("status").filter({ hasText: "Showing the newest 100 runs." }).waitFor();
    // Focus moved to the first run that arrived: Tab order goes on from there.
    await expect.poll(() => page.locator(":focus").textContent()).toBe(all[50]);
    await expectA11yClean(page);

    await older.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => rows.count()).toBe(120);
    await runs.getByRole("status").filter({ hasText: "Showing all 120 runs." }).waitFor();
    expect(await runs.getByRole("button", { name: "Older runs" }).count()).toBe(0);
    await expect.poll(() => page.locator(":focus").textContent()).toBe(all[100]);
    expect(await rows.locator("td:first-child a").allTextContents()).toEqual(all);

    // A plain link of an older run opens its page in the app.
    await rows.nth(119).getByRole("link").click();
    await page.waitForURL(/\/stacks\/busy\/runs\//);
  });

  it("runs a given commit: an unknown sha refused at its field, then an older commit run", async () => {
    const { t, page, given } = web;
    await page.goto(`${t.url}/stacks/pinned`);
    const open = page.getByRole("button", { name: "Run a given commit…" });
    expect(await open.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByLabel("Commit", { exact: true }).count()).toBe(0);
    await open.focus();
    await page.keyboard.press("Enter");
    const form = page.getByRole("form", { name: "run a given commit" });
    await form.getByLabel("Commit", { exact: true }).focus();
    await page.keyboard.type("0123456789abcdef0123456789abcdef01234567");
    await page.keyboard.press("Enter");
    expect(await fieldProblem(form, "Commit")).toMatch(/^commit 0123456789abcdef0123456789abcdef01234567 is not in repository .*: push it first or check the sha$/);
    expect((await t.admin.call("listStackRuns", { params: { id: "pinned" }, query: {} })).items).toEqual([]);
    await expectA11yClean(page, "stack-commit-run-refused");

    await form.getByLabel("Commit", { exact: true }).fill(given.older.slice(0, 12));
    await form.getByLabel("Run type").selectOption("TRACKED");
    await form.getByRole("button", { name: "Run this commit" }).click();
    await page.waitForURL(/\/stacks\/pinned\/runs\/[0-9A-Z]+$/);
    const runId = page.url().split("/").pop()!;
    const run = await t.admin.call("getRun", { params: { id: runId } });
    expect(run).toMatchObject({ type: "TRACKED", commit: { sha: given.older, branch: "main", message: "initial" } });
  });

  it("locks with a reason (an over-long one refused at its field), shows it, and unlocking clears it", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/pinned`);
    const open = page.getByRole("button", { name: "Lock…" });
    await open.focus();
    await page.keyboard.press("Enter");
    const form = page.getByRole("form", { name: "lock the stack" });
    const reason = form.getByLabel("Reason (optional)");
    await reason.fill("x".repeat(1001));
    await form.getByRole("button", { name: "Lock the stack" }).click();
    expect(await fieldProblem(form, "Reason (optional)")).toMatch(/1000/);
    expect((await t.admin.call("getStack", { params: { id: "pinned" } })).lockedBy).toBeNull();
    await expectA11yClean(page);

    await reason.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("moving the state bucket until 18:00");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Unlock" }).waitFor();
    expect(await t.admin.call("getStack", { params: { id: "pinned" } })).toMatchObject({ lockedBy: expect.any(String), lockNote: "moving the state bucket until 18:00" });
    await page.getByText("moving the state bucket until 18:00").waitFor();
    await expectA11yClean(page, "stack-locked-with-reason");

    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByRole("button", { name: "Lock…" }).waitFor();
    expect(await t.admin.call("getStack", { params: { id: "pinned" } })).toMatchObject({ lockedBy: null, lockNote: null });
    expect(await page.getByText("moving the state bucket until 18:00").count()).toBe(0);
  });

  it("gives a reader no commit or lock controls but older runs, and the API refuses them when forced", async () => {
    const { t, given } = web;
    const page = await web.pageAs({ apiKey: given.readerKey });
    try {
      await page.goto(`${t.url}/stacks/pinned`);
      await page.getByText(/You can read this stack/).waitFor();
      expect(await page.getByRole("button", { name: "Run a given commit…" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: /^Lock/ }).count()).toBe(0);
      // Reading older runs is reading: the reader has it.
      await page.goto(`${t.url}/stacks/busy`);
      await page.getByRole("button", { name: "Older runs" }).waitFor();
      const reader = t.client(given.readerKey);
      expect((await failure(reader.call("createRun", { params: { id: "pinned" }, body: { type: "TRACKED", commitSha: given.older } }))).status).toBe(403);
      expect((await failure(reader.call("lockStack", { params: { id: "pinned" }, body: { note: "mine" } }))).status).toBe(403);
      expect((await t.admin.call("getStack", { params: { id: "pinned" } })).lockedBy).toBeNull();
    } finally {
      await page.context().close();
    }
  });
});
