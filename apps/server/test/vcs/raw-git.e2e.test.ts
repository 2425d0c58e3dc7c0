/**
 * Any git server, no network: a local bare repository whose real post-receive hook runs
 * `gantry vcs notify` ends in an applied tracked run, and the poller notices a push made where
 * no hook exists (recording heads first, so a restart re-runs nothing).
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { RunState } from "@gantry/contract";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, type TestServer } from "../harness.js";
import { makeBareRepo, stackConfig, type BareRepo } from "./fixtures.js";

const execFileAsync = promisify(execFile);
const cliMain = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const terminal: RunState[] = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];

describe.each(dialects)("raw git: hooks and polling (%s)", (dialect) => {
  let t: TestServer;
  let worker: RunningWorker;
  const repos: BareRepo[] = [];

  const runs = async (stackId: string) => (await t.admin.call("listStackRuns", { params: { id: stackId }, query: {} })).items;
  async function waitForRuns(stackId: string, n: number) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const items = await runs(stackId);
      if (items.length >= n && items.slice(0, n).every((r) => terminal.includes(r.state))) return items;
      if (Date.now() > deadline) throw new Error(`stack ${stackId} has ${JSON.stringify(items.map((r) => r.state))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  /** git push without blocking the event loop: the hook calls back into this process's server. */
  const push = (repo: BareRepo, ...args: string[]) => execFileAsync("git", ["push", "-q", "origin", ...args], { cwd: repo.work });

  beforeAll(async () => {
    t = await startTestServer(dialect);
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 1, workDir: mkdtempSync(join(tmpdir(), "gantry-rawgit-worker-")), claimWaitMs: 5000 });
    await worker.ready;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    for (const r of repos) r.remove();
  });

  it("a post-receive hook calling gantry vcs notify ends in an applied tracked run", async () => {
    const repo = makeBareRepo({ "infra/main.tf": stackConfig("one"), "docs/x.md": "x\n" });
    repos.push(repo);
    await t.admin.call("createStack", { body: { id: "hooked", name: "hooked", repository: repo.bare, projectRoot: "infra", autodeploy: true, manageState: false } });
    // The ready-to-paste hook of docs/vcs.md, with this checkout's CLI in place of `gantry`.
    const hook = join(repo.bare, "hooks", "post-receive");
    writeFileSync(hook, `#!/bin/sh\nexport GANTRY_URL='${t.url}' GANTRY_API_KEY='${t.adminKey}'\nexec '${process.execPath}' --import '${tsx}' '${cliMain}' vcs notify "$(pwd)"\n`);
    chmodSync(hook, 0o755);
    const sha = repo.commit({ "infra/main.tf": stackConfig("two") }, "bump");
    await push(repo, "main");
    const [run] = await waitForRuns("hooked", 1);
    expect(run).toMatchObject({ type: "TRACKED", state: "FINISHED", commit: { sha, branch: "main" }, triggeredBy: "vcs:notify" });
    // A push touching only docs runs nothing, and the hook's output tells the pusher why.
    repo.commit({ "docs/x.md": "y\n" }, "docs");
    const { stderr } = await push(repo, "main");
    expect(stderr).toMatch(/remote: hooked\s+ignore\s+-\s+no changed file is under the project root/);
    expect(await runs("hooked")).toHaveLength(1);
  }, 120_000);

  it("the poller notices a push to a tracked branch, once", async () => {
    const repo = makeBareRepo({ "main.tf": stackConfig("one") });
    repos.push(repo);
    await t.admin.call("createStack", { body: { id: "polled", name: "polled", repository: repo.bare, autodeploy: true, manageState: false } });
    const poll = t.server.vcsForTests!.pollNow;
    await poll();
    // First sight records the head: nothing runs.
    expect(await runs("polled")).toEqual([]);
    const sha = repo.commit({ "main.tf": stackConfig("two") }, "bump");
    await push(repo, "main");
    await poll();
    const [run] = await waitForRuns("polled", 1);
    expect(run).toMatchObject({ type: "TRACKED", state: "FINISHED", commit: { sha }, triggeredBy: "vcs:poller" });
    await poll();
    expect(await runs("polled")).toHaveLength(1);
  }, 120_000);
});
