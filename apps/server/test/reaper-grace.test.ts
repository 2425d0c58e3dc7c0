/**
 * The reaper's grace after a server start, on both dialects: a server that was down longer than
 * the worker heartbeat timeout (a crash and a slow restart, a database outage) must not fail
 * the runs of workers that were alive when it went down; they report within one timeout of its
 * return. A worker that never comes back is still declared gone, one timeout after the start.
 */
import { randomBytes } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { freePort } from "../../../test/postgres-server.js";
import { loadConfig, startServer } from "../src/index.js";
import { dialects, startTestServer } from "./harness.js";
import { protocolWorker } from "./worker-protocol.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(dialects)("reaper grace after a server start (%s)", (dialect) => {
  it("keeps the runs of workers that report after a restart longer than the timeout, and reaps the silent one", async () => {
    const port = await freePort();
    const encryptionKey = randomBytes(32).toString("base64");
    const timeout = { workerHeartbeatTimeoutSeconds: 2 };
    const t = await startTestServer(dialect, { settings: { port, encryptionKey, ...timeout } });
    const pool = await t.admin.call("createWorkerPool", { body: { name: "grace" } });
    const stackOf = (name: string) => t.admin.call("createStack", { body: { name, repository: "/srv/infra.git", workerPoolId: pool.pool.id } });
    const [a, b] = [await stackOf("survives"), await stackOf("abandoned")];
    const alive = await protocolWorker(t, "alive", pool.token);
    const silent = await protocolWorker(t, "silent", pool.token);
    const kept = await t.admin.call("createRun", { params: { id: a.id }, body: {} });
    const lost = await t.admin.call("createRun", { params: { id: b.id }, body: {} });
    const keptJob = await alive.claimRun(kept.id);
    const lostJob = await silent.claimRun(lost.id);
    expect((await alive.report(keptJob, "INITIALIZING")).status).toBe(200);
    expect((await silent.report(lostJob, "INITIALIZING")).status).toBe(200);

    // Down for longer than the heartbeat timeout: every heartbeat on record is now stale.
    await t.server.close();
    await sleep(3000);
    const restarted = await startServer(loadConfig({ argv: { port, dataDir: t.dataDir, databaseUrl: t.databaseUrl, encryptionKey, ...timeout }, env: {} }), { log: pino({ level: "silent" }) });
    try {
      const state = async (id: string) => (await t.admin.call("getRun", { params: { id } })).state;
      // The reaper rounds every 500 ms: without the grace both runs would fail in the first one.
      await sleep(1200);
      expect(await state(kept.id)).toBe("INITIALIZING");
      expect(await state(lost.id)).toBe("INITIALIZING");
      // The live worker reconnects and keeps heartbeating through and past the grace period.
      for (let i = 0; i < 4; i++) {
        expect((await alive.heartbeat([kept.id])).stopRunIds).toEqual([]);
        await sleep(700);
      }
      const lostRun = await t.admin.call("getRun", { params: { id: lost.id } });
      expect(lostRun.state).toBe("FAILED");
      expect(lostRun.failureReason).toContain("worker silent");
      expect(lostRun.failureReason).toContain("stopped heartbeating");
      expect(await state(kept.id)).toBe("INITIALIZING");
      expect((await alive.report(keptJob, "PLANNING")).status).toBe(200);
      expect(await state(kept.id)).toBe("PLANNING");
    } finally {
      await restarted.close();
    }
  });
});
