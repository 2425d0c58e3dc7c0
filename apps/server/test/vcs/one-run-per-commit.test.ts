/**
 * One run per (stack, commit, type) whatever asks for it, on both dialects: an administrative
 * stack's `gantry_run` (the API with a run API token) and the VCS poller seeing the same commit
 * race for a stack's first run; one run is created and both are answered with it. A person's
 * own trigger still gets a run of its own.
 */
import { GantryClient } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, type TestServer } from "../harness.js";
import { protocolWorker } from "../worker-protocol.js";
import { makeBareRepo, stackConfig, type BareRepo } from "./fixtures.js";

describe.each(dialects)("one run per stack, commit and type (%s)", (dialect) => {
  let t: TestServer;
  const repos: BareRepo[] = [];
  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { vcsPollSeconds: 0 } });
  });
  afterAll(async () => {
    await t?.stop();
    for (const r of repos) r.remove();
  });

  it("gantry_run and the poller racing for a new commit make one run, answered to both", async () => {
    const repo = makeBareRepo({ "main.tf": stackConfig("one") });
    repos.push(repo);
    const pool = await t.admin.call("createWorkerPool", { body: { name: "commit-key" } });
    const admin = await t.admin.call("createStack", { body: { name: "manager", repository: "/srv/admin.git", administrative: true, workerPoolId: pool.pool.id } });
    const fresh = await t.admin.call("createStack", { body: { name: "fresh", repository: repo.bare, workerPoolId: pool.pool.id } });
    const poll = t.server.vcsForTests!.pollNow;
    await poll(); // first sight of the branch: recorded, nothing runs

    // The administrative stack's run is executing: its API token is what gantry_run calls with.
    const w = await protocolWorker(t, "admin-runner", pool.token);
    const job = await w.claimRun((await t.admin.call("createRun", { params: { id: admin.id }, body: {} })).id);
    expect(job.apiToken).toBeTruthy();
    const asAdminRun = new GantryClient({ baseUrl: t.url, token: job.apiToken! });

    for (let round = 0; round < 3; round++) {
      const sha = repo.commit({ "main.tf": stackConfig(`v${round}`) }, `change ${round}`);
      repo.git("push", "-q", "origin", "main");
      const [fromGantryRun] = await Promise.all([asAdminRun.call("createRun", { params: { id: fresh.id }, body: { type: "TRACKED" } }), poll()]);
      const runs = (await t.admin.call("listStackRuns", { params: { id: fresh.id }, query: {} })).items.filter((r) => r.commit.sha === sha);
      expect(runs.map((r) => r.type)).toEqual(["TRACKED"]);
      expect(fromGantryRun.id).toBe(runs[0]!.id);
      expect(fromGantryRun.commit.sha).toBe(sha);
      // Asking again for the same commit answers the same run; a proposed run is another type.
      expect((await asAdminRun.call("createRun", { params: { id: fresh.id }, body: { type: "TRACKED", commitSha: sha } })).id).toBe(runs[0]!.id);
      for (const r of runs) await t.admin.call("cancelRun", { params: { id: r.id } });
    }
    const proposed = await asAdminRun.call("createRun", { params: { id: fresh.id }, body: { type: "PROPOSED" } });
    expect(proposed.type).toBe("PROPOSED");
    await t.admin.call("cancelRun", { params: { id: proposed.id } });

    // A person asking for a run of the same commit gets one: that is what asking means.
    const mine = await t.admin.call("createRun", { params: { id: fresh.id }, body: { type: "TRACKED", commitSha: repo.head() } });
    expect(mine.id).not.toBe(proposed.id);
    expect((await t.admin.call("listStackRuns", { params: { id: fresh.id }, query: {} })).items.filter((r) => r.commit.sha === repo.head() && r.type === "TRACKED")).toHaveLength(2);
  });
});
