/**
 * The database goes away mid-run and comes back: requests fail fast with 503 in the error
 * envelope, `/healthz` (the process lives) stays 200 while `/readyz` (it can serve) turns 503,
 * the worker keeps the run's reports until the database is back, and the run completes with its
 * state stored exactly once. The PostgreSQL here is this test's own, so stopping it harms no
 * other test file.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../../apps/server/src/index.js";
import { startWorker, type RunningWorker } from "../../apps/worker/src/index.js";
import { makeRepo, runLog, waitForRun } from "../../apps/worker/test/fixtures.js";
import { startPostgres, type PostgresServer } from "../postgres-server.js";

/** Applying takes a few seconds, so the database can be stopped while terraform runs. */
const slowApply = `
resource "terraform_data" "slow" {
  input = "v1"
  provisioner "local-exec" {
    command = "sleep 4"
  }
}
output "value" {
  value = terraform_data.slow.output
}
`;

describe("PostgreSQL stopped mid-run and started again", () => {
  let pgServer: PostgresServer;
  let server: RunningServer;
  let worker: RunningWorker;
  let admin: GantryClient;
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-outage-"));
  const workerErrors: string[] = [];

  beforeAll(async () => {
    pgServer = await startPostgres();
    const config = loadConfig({ argv: { port: 0, dataDir, databaseUrl: pgServer.url, encryptionKey: randomBytes(32).toString("base64") }, env: {} });
    server = await startServer(config, { log: pino({ level: "silent" }) });
    admin = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
    worker = startWorker({ serverUrl: server.url, token: await server.mintWorkerToken(), workDir: join(dataDir, "worker"), claimWaitMs: 2000, onError: (e) => workerErrors.push(e.message) });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    pgServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 503 fast while it is away, and the run completes once it is back", async () => {
    const repo = makeRepo({ "main.tf": slowApply });
    const stack = await admin.call("createStack", { body: { name: "outage", repository: repo.path, autodeploy: true } });
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await waitForRun(admin, run.id, ["APPLYING"]);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    pgServer.halt();
    const started = Date.now();
    const res = await fetch(`${server.url}/api/v1/stacks`, { headers: { authorization: `Bearer ${server.adminApiKey}` } });
    const elapsed = Date.now() - started;
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(503);
    expect(body.error.code).toBe("unavailable");
    expect(body.error.message).toContain("the database is unreachable");
    expect(res.headers.get("retry-after")).toBe("5");
    expect(elapsed).toBeLessThan(6000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { code: string } }).error.code).toBe("unavailable");

    // Away longer than the apply takes: terraform finishes and pushes its state into the outage.
    await new Promise((r) => setTimeout(r, 8000));
    pgServer.resume();
    const done = await waitForRun(admin, run.id, undefined, 120_000);
    const log = await runLog(admin, run.id);
    expect(done.state, log).toBe("FINISHED");
    expect(log).toContain("Apply complete! Resources: 1 added");
    expect(workerErrors.some((m) => m.includes("(retrying)"))).toBe(true);
    const versions = await admin.call("listStateVersions", { params: { id: stack.id } });
    expect(versions.items).toHaveLength(1);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 180_000);
});
