/**
 * A server restart loses no run: a run waiting for confirmation resumes after the restart, and a
 * run whose worker went away with the old process fails with the reason once the heartbeat
 * timeout passes, letting the stack's queue move.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../src/index.js";
import type { TestServer } from "./harness.js";
import { planToUnconfirmed, protocolWorker } from "./worker-protocol.js";

describe("server restart (sqlite)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-restart-"));
  const config = loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64"), workerHeartbeatTimeoutSeconds: 2 }, env: {} });
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Just enough of the test harness for the protocol helpers. */
  const asTestServer = (s: RunningServer, key: string): TestServer =>
    ({
      server: s, url: s.url, adminKey: key, admin: new GantryClient({ baseUrl: s.url, token: key }), dataDir, databaseUrl: "",
      client: (token?: string) => new GantryClient({ baseUrl: s.url, token }),
      async raw(method: string, path: string, init: { token?: string; body?: string } = {}) {
        const res = await fetch(s.url + path, { method, headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body ? { "content-type": "application/json" } : {}) }, body: init.body });
        const text = await res.text();
        return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
      },
      stop: async () => undefined,
    }) as TestServer;

  it("resumes waiting runs and fails orphaned ones with a reason", async () => {
    server = await startServer(config, { log: pino({ level: "silent" }) });
    const key = server.adminApiKey!;
    let t = asTestServer(server, key);
    const w = await protocolWorker(t, "before-restart");
    const waiting = await t.admin.call("createStack", { body: { name: "waiting", repository: "/srv/x.git" } });
    const busy = await t.admin.call("createStack", { body: { name: "busy", repository: "/srv/x.git" } });
    const planned = await t.admin.call("createRun", { params: { id: waiting.id }, body: {} });
    await planToUnconfirmed(w, planned.id);
    const orphan = await t.admin.call("createRun", { params: { id: busy.id }, body: {} });
    const next = await t.admin.call("createRun", { params: { id: busy.id }, body: {} });
    const job = await w.claimRun(orphan.id);
    await w.report(job, "INITIALIZING");
    await server.close();

    server = await startServer(config, { log: pino({ level: "silent" }) });
    t = asTestServer(server, key);
    expect((await t.admin.call("getRun", { params: { id: planned.id } })).state).toBe("UNCONFIRMED");
    await t.admin.call("confirmRun", { params: { id: planned.id } });
    const after = await protocolWorker(t, "after-restart");
    const applyJob = await after.claimRun(planned.id);
    expect(applyJob.phase).toBe("apply");
    await after.report(applyJob, "APPLYING");
    await after.report(applyJob, "FINISHED");
    // Keep the new worker alive while the old one times out.
    const deadline = Date.now() + 10_000;
    let failed = await t.admin.call("getRun", { params: { id: orphan.id } });
    while (failed.state !== "FAILED" && Date.now() < deadline) {
      await after.heartbeat([]);
      await new Promise((r) => setTimeout(r, 250));
      failed = await t.admin.call("getRun", { params: { id: orphan.id } });
    }
    expect(failed.state).toBe("FAILED");
    expect(failed.failureReason).toContain("before-restart");
    expect(failed.failureReason).toContain("stopped heartbeating");
    expect((await t.admin.call("getRun", { params: { id: next.id } })).state).toBe("READY");
    expect((await t.admin.call("getRun", { params: { id: planned.id } })).state).toBe("FINISHED");
  });
});
