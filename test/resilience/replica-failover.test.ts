/**
 * Three `gantry server` replicas on one PostgreSQL, a remote worker given two of them, clients on
 * the third. Mid-apply, the replica holding the exclusive background jobs and the replica the
 * worker talks to are both SIGKILLed: the survivor takes the exclusive jobs over within seconds,
 * the worker fails over to it, and the run finishes, applied exactly once.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import { afterAll, describe, expect, inject, it } from "vitest";
import { makeRepo, runLog, waitForRun } from "../../apps/worker/test/fixtures.js";
import { createDatabase, eventually, startRemoteWorker, startReplica, subsystemsOf, type GantryProcess, type Replica } from "./cluster.js";

const slowApply = `
resource "terraform_data" "slow" {
  input = "v1"
  provisioner "local-exec" {
    command = "sleep 5"
  }
}
output "value" {
  value = terraform_data.slow.output
}
`;

const reaperState = async (r: Replica) => (await subsystemsOf(r.url)).find((s) => s.name === "reaper")?.state;

describe("replicas on PostgreSQL: the exclusive holder and a worker's replica killed mid-apply", () => {
  const processes: GantryProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  });

  it("takes the exclusive jobs over, fails the worker over, and applies the run exactly once", async () => {
    const databaseUrl = await createDatabase(inject("postgresUrl"));
    const key = randomBytes(32).toString("base64");
    const holder = await startReplica(databaseUrl, key);
    processes.push(holder);
    await eventually("the first replica takes the exclusive jobs", async () => (await reaperState(holder)) === "running");
    const [workersReplica, survivor] = [await startReplica(databaseUrl, key), await startReplica(databaseUrl, key)];
    processes.push(workersReplica, survivor);
    // Standby once its lock loop has connected (it reports "stopped" for the moment before).
    await eventually("the other replicas wait as standby", async () => (await reaperState(survivor)) === "standby");

    const adminKey = readFileSync(join(holder.dataDir, "admin-api-key"), "utf8").trim();
    const admin = new GantryClient({ baseUrl: survivor.url, token: adminKey });
    const pool = await admin.call("createWorkerPool", { body: { name: "replicated" } });
    const worker = await startRemoteWorker([workersReplica.url, survivor.url], pool.token, "failover");
    processes.push(worker);

    const repo = makeRepo({ "main.tf": slowApply });
    // Local state: terraform's own state traffic goes to one replica's URL (see docs/deployment.md).
    const stack = await admin.call("createStack", { body: { name: "replicated", repository: repo.path, autodeploy: true, manageState: false, workerPoolId: pool.pool.id } });
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await waitForRun(admin, run.id, ["APPLYING"], 90_000);
    await Promise.all([holder.kill("SIGKILL"), workersReplica.kill("SIGKILL")]);

    const tookOver = Date.now();
    await eventually("the survivor takes the exclusive jobs over", async () => (await reaperState(survivor)) === "running", 20_000);
    expect(Date.now() - tookOver).toBeLessThan(20_000);
    const done = await waitForRun(admin, run.id, undefined, 120_000);
    const log = await runLog(admin, run.id);
    expect(done.state, log).toBe("FINISHED");
    expect(done.history.filter((h) => h.to === "APPLYING")).toHaveLength(1);
    expect(log.match(/Apply complete!/g)).toHaveLength(1);
    expect(worker.output()).toContain(`cannot reach the Gantry server at ${workersReplica.url}`);

    // The worker keeps working through the survivor.
    const next = await admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    expect((await waitForRun(admin, next.id, undefined, 90_000)).state).toBe("FINISHED");
  }, 300_000);
});
