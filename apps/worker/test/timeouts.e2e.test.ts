/** The worker ends runs that stay silent too long or run too long, and says so. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, waitForRun } from "./fixtures.js";

describe("run timeouts", () => {
  let t: TestServer;
  let worker: RunningWorker;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-timeouts-")), noOutputTimeoutMs: 1500, runTimeoutMs: 6000 });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  it("fails a run with no output for too long, and one that runs too long", async () => {
    const repo = makeRepo();
    const s = await t.admin.call("createStack", { body: { name: "slow", repository: repo.path, manageState: false } });
    const silent = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK", command: "sleep 30" } })).id);
    expect(silent.state).toBe("FAILED");
    expect(silent.failureReason).toMatch(/no output for 2 s/);
    const chatty = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK", command: "while true; do echo tick; sleep 0.5; done" } })).id);
    expect(chatty.state).toBe("FAILED");
    expect(chatty.failureReason).toMatch(/took longer than 6 s/);
  });
});

describe("the server's run time limit", () => {
  let t: TestServer;
  let worker: RunningWorker;
  beforeAll(async () => {
    t = await startTestServer("sqlite", { settings: { runTimeLimitSeconds: 5 } });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-limit-")) });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  it("ends a phase at the deadline the server handed over, when the worker's own limit is later", async () => {
    const repo = makeRepo();
    const s = await t.admin.call("createStack", { body: { name: "limited", repository: repo.path, manageState: false } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK", command: "while true; do echo tick; sleep 0.5; done" } })).id);
    expect(run.state).toBe("FAILED");
    expect(run.failureReason).toMatch(/reached the server's run time limit \(.*\) and was ended .*--run-time-limit-seconds/);
  });
});
