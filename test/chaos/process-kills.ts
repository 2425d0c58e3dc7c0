/** Chaos scenarios that SIGKILL Gantry's own processes mid-apply. Each throws on a loss. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import { runLog } from "../../apps/worker/test/fixtures.js";
import { createDatabase, eventually, startRemoteWorker, startReplica, subsystemsOf, type GantryProcess } from "../resilience/cluster.js";
import { awaitRun, check, slowConfig, startRig } from "./rig.js";

/**
 * A worker killed mid-apply: the run fails with a reason once the heartbeat timeout passes (not
 * stuck), the stack's lock and state lock go with it, and the next run on another worker applies.
 */
export async function workerKilledMidApply(databaseUrl?: string): Promise<void> {
  const rig = await startRig({ databaseUrl });
  try {
    const stack = await rig.admin.call("createStack", { body: { name: "worker-kill", repository: rig.repo.path, autodeploy: true, workerPoolId: rig.poolId } });
    const first = await rig.worker("doomed");
    const run = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await awaitRun(rig.admin, run.id, ["APPLYING"]);
    await first.kill("SIGKILL");
    const failed = await awaitRun(rig.admin, run.id, undefined, 60_000);
    check(failed.state === "FAILED" && /heartbeat/.test(failed.failureReason ?? ""), `the orphaned run ended ${failed.state} (${failed.failureReason ?? "no reason"}), expected FAILED for a silent worker`);
    await rig.worker("rescuer");
    const next = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    const done = await awaitRun(rig.admin, next.id);
    check(done.state === "FINISHED", `the next run ended ${done.state} (${done.failureReason ?? ""}): the stack stayed blocked\n${await runLog(rig.admin, next.id)}`);
  } finally {
    await rig.close();
  }
}

/**
 * `gantry server` (split from its worker) killed mid-apply and restarted on the same port: the
 * worker keeps the run's reports until it is back, terraform retries its state push, and the
 * run finishes with its state stored once.
 */
export async function splitServerKilledAndRestarted(): Promise<void> {
  const rig = await startRig();
  try {
    const stack = await rig.admin.call("createStack", { body: { name: "server-kill", repository: rig.repo.path, autodeploy: true, workerPoolId: rig.poolId } });
    rig.repo.commit({ "main.tf": slowConfig("v1", 6) });
    await rig.worker("steady");
    const run = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await awaitRun(rig.admin, run.id, ["APPLYING"]);
    await rig.server.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 3000));
    await rig.restartServer();
    const done = await awaitRun(rig.admin, run.id);
    const log = await runLog(rig.admin, run.id);
    check(done.state === "FINISHED", `the run ended ${done.state} (${done.failureReason ?? ""}) after the server restart\n${log}`);
    check(done.history.filter((h) => h.to === "APPLYING").length === 1, "the run was applied more than once");
    const versions = await rig.admin.call("listStateVersions", { params: { id: stack.id } });
    check(versions.items.length === 1, `expected one state version, found ${versions.items.length}`);
  } finally {
    await rig.close();
  }
}

/**
 * `gantry up` (server and worker in one process) killed mid-apply and started again: the run
 * whose worker died with it fails with a reason, and the next run applies.
 */
export async function embeddedKilledAndRestarted(): Promise<void> {
  const rig = await startRig({ embedded: true });
  try {
    const stack = await rig.admin.call("createStack", { body: { name: "embedded-kill", repository: rig.repo.path, autodeploy: true } });
    const run = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await awaitRun(rig.admin, run.id, ["APPLYING"]);
    await rig.server.kill("SIGKILL");
    await rig.restartServer();
    const failed = await awaitRun(rig.admin, run.id, undefined, 60_000);
    check(failed.state === "FAILED" && !!failed.failureReason, `the run of the killed process ended ${failed.state} without a reason`);
    const next = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    const done = await awaitRun(rig.admin, next.id);
    check(done.state === "FINISHED", `the next run ended ${done.state} (${done.failureReason ?? ""})`);
  } finally {
    await rig.close();
  }
}

/**
 * Three replicas on PostgreSQL; the exclusive holder and the worker's replica SIGKILLed
 * mid-apply: the survivor takes over, the worker fails over, the run applies once.
 */
export async function replicaKilled(postgresUrl: string): Promise<void> {
  const databaseUrl = await createDatabase(postgresUrl);
  const key = Buffer.alloc(32, 7).toString("base64");
  const processes: GantryProcess[] = [];
  try {
    const holder = await startReplica(databaseUrl, key);
    processes.push(holder);
    const reaper = async (url: string) => (await subsystemsOf(url)).find((s) => s.name === "reaper")?.state;
    await eventually("the first replica takes the exclusive jobs", async () => (await reaper(holder.url)) === "running");
    const talkedTo = await startReplica(databaseUrl, key);
    const survivor = await startReplica(databaseUrl, key);
    processes.push(talkedTo, survivor);
    const admin = new GantryClient({ baseUrl: survivor.url, token: readFileSync(join(holder.dataDir, "admin-api-key"), "utf8").trim() });
    const pool = await admin.call("createWorkerPool", { body: { name: "replicas" } });
    processes.push(await startRemoteWorker([talkedTo.url, survivor.url], pool.token, "failover"));
    const { makeRepo } = await import("../../apps/worker/test/fixtures.js");
    const repo = makeRepo({ "main.tf": slowConfig("v1", 5) });
    const stack = await admin.call("createStack", { body: { name: "replica-kill", repository: repo.path, autodeploy: true, manageState: false, workerPoolId: pool.pool.id } });
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await awaitRun(admin, run.id, ["APPLYING"]);
    await Promise.all([holder.kill("SIGKILL"), talkedTo.kill("SIGKILL")]);
    await eventually("the survivor takes the exclusive jobs over", async () => (await reaper(survivor.url)) === "running", 20_000);
    const done = await awaitRun(admin, run.id);
    check(done.state === "FINISHED", `the run ended ${done.state} (${done.failureReason ?? ""})`);
    check(done.history.filter((h) => h.to === "APPLYING").length === 1, "the run was applied more than once");
  } finally {
    await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  }
}
