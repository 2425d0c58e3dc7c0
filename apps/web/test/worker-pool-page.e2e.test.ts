/**
 * One worker pool at its own address, in Debian's headless chromium against a real server: its
 * settings and workers (one busy with a run claimed through the real worker protocol, linked to
 * the run's page), reached from the list by keyboard; its admin resets the token and deletes it
 * there; a writer gets neither button and the API refuses them; an unknown pool is "Not found".
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { protocolWorker } from "../../server/test/worker-protocol.js";
import { expectA11yClean, screenshot, webSession } from "./browser.js";

describe("web UI: a worker pool's page", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      const { token } = await t.admin.call("createWorkerPool", { body: { id: "builders", name: "builders", description: "the team's build hosts", spaceId: "team" } });
      await t.admin.call("createStack", { body: { id: "app", name: "app", spaceId: "team", repository: "/srv/app.git", workerPoolId: "builders" } });
      const busy = await protocolWorker(t, "w-busy", token);
      await protocolWorker(t, "w-idle", token);
      const runId = (await t.admin.call("createRun", { params: { id: "app" }, body: {} })).id;
      await busy.claimRun(runId);
      const admin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
      const writerKey = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
      return { adminKey: admin.key, writerKey, runId };
    },
    logInAs: (_t, given) => ({ apiKey: given.adminKey }),
    acceptDialogs: true,
  });

  it("opens a pool from the list by keyboard and shows its settings and workers, the busy one linked to its run", async () => {
    const { t, page, given: { runId } } = web;
    const workers = (await t.admin.call("listWorkers", { params: { id: "builders" } })).items;
    expect(workers.map((w) => [w.name, w.status, w.currentRunId]).sort()).toEqual([["w-busy", "BUSY", runId], ["w-idle", "IDLE", null]]);
    await page.goto(`${t.url}/worker-pools`);
    await page.getByRole("link", { name: "builders" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${t.url}/worker-pools/builders`);
    await page.getByRole("heading", { level: 1, name: /builders/ }).waitFor();
    await page.getByText("the team's build hosts").waitFor();
    const busyRow = page.getByRole("row").filter({ hasText: "w-busy" });
    expect(await busyRow.textContent()).toContain("BUSY");
    expect(await page.getByRole("row").filter({ hasText: "w-idle" }).textContent()).toContain("IDLE");
    const runLink = busyRow.getByRole("link", { name: runId });
    await runLink.waitFor();
    await screenshot(page, "worker-pool-page");
    await expectA11yClean(page);
    await runLink.click();
    await page.waitForURL(`${t.url}/stacks/app/runs/${runId}`);
  });

  it("resets the token and deletes a pool from its page", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/worker-pools/builders`);
    await page.getByRole("button", { name: "Reset token of builders" }).click();
    const fresh = (await page.getByRole("status").filter({ hasText: "Token of pool builders" }).locator("code").last().textContent())!;
    expect(fresh).toMatch(/^gwp_/);
    expect((await t.raw("POST", "/api/v1/worker/register", { token: fresh, body: JSON.stringify({ name: "w-new" }) })).status).toBe(200);

    await t.admin.call("createWorkerPool", { body: { id: "spare", name: "spare", spaceId: "team" } });
    await page.goto(`${t.url}/worker-pools/spare`);
    await page.getByRole("button", { name: "Delete spare" }).click();
    await page.waitForURL(`${t.url}/worker-pools`);
    expect((await failure(t.admin.call("getWorkerPool", { params: { id: "spare" } }))).status).toBe(404);
  });

  it("gives a writer the page without admin buttons, the API refusing them; an unknown pool is not found", async () => {
    const { t, given: { writerKey } } = web;
    const p = await web.pageAs({ apiKey: writerKey });
    await p.goto(`${t.url}/worker-pools/builders`);
    await p.getByText("needs the admin role in space team").waitFor();
    await p.getByRole("row").filter({ hasText: "w-busy" }).waitFor();
    expect(await p.getByRole("button", { name: /Reset token|Delete/ }).count()).toBe(0);
    expect((await failure(t.client(writerKey).call("resetWorkerPoolToken", { params: { id: "builders" } }))).status).toBe(403);
    await p.goto(`${t.url}/worker-pools/nowhere`);
    await p.getByRole("heading", { name: "Not found" }).waitFor();
    await p.context().close();
  });
});
