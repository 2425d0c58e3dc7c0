/**
 * The run lifecycle through the API and the worker protocol on both dialects: the FIFO queue of
 * blocking runs, proposed runs side by side, stack locks, confirm/discard/cancel/stop/retry,
 * the long-poll claim woken by events, heartbeats and the reaper.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reapOnce } from "../src/workers/reaper.js";
import { dialects, dumpTable, failure, rawSql, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { planToUnconfirmed, protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

describe.each(dialects)("run lifecycle (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let n = 0;
  const stack = async (extra: Record<string, unknown> = {}) =>
    t.admin.call("createStack", { body: { name: `rs${++n}`, repository: "/srv/infra.git", ...extra } });
  const state = async (id: string) => (await t.admin.call("getRun", { params: { id } })).state;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  it("hands a pool's prioritized runs to workers before older ones", async () => {
    const pool = await t.admin.call("createWorkerPool", { body: { name: "priority" } });
    const pw = await protocolWorker(t, "priority-worker", pool.token);
    const runsOn = async (name: string) => {
      const s = await stack({ workerPoolId: pool.pool.id, name });
      return t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } });
    };
    const older = await runsOn("prio-older");
    const urgent = await runsOn("prio-urgent");
    // What a push policy's `prioritize` records on the run it creates (covered in vcs/ingest.test.ts).
    await rawSql(t, `update runs set prioritized = 1 where id = '${urgent.id}'`);
    expect((await t.admin.call("getRun", { params: { id: urgent.id } })).prioritized).toBe(true);
    expect((await pw.claim())?.runId).toBe(urgent.id);
    expect((await pw.claim())?.runId).toBe(older.id);
  });

  it("runs blocking runs one at a time, first in first out, and proposed runs side by side", async () => {
    const s = await stack();
    const create = (type: "TRACKED" | "PROPOSED" | "DESTROY") => t.admin.call("createRun", { params: { id: s.id }, body: { type } });
    const a = await create("TRACKED");
    const b = await create("TRACKED");
    const p1 = await create("PROPOSED");
    const c = await create("DESTROY");
    const p2 = await create("PROPOSED");
    expect([a.state, b.state, p1.state, c.state, p2.state]).toEqual(["READY", "QUEUED", "READY", "QUEUED", "READY"]);
    expect(a.blocking && !p1.blocking).toBe(true);
    expect((await t.admin.call("getStack", { params: { id: s.id } })).state).toBe("QUEUED");

    // The first run plans and waits for confirmation: it keeps the stack's lock.
    await planToUnconfirmed(w, a.id);
    expect(await state(a.id)).toBe("UNCONFIRMED");
    expect(await state(b.id)).toBe("QUEUED");
    // A queued blocking run says which run it waits behind, and what unblocks that one.
    expect((await t.admin.call("getRun", { params: { id: b.id } })).waiting).toEqual({
      reason: `run ${a.id} (UNCONFIRMED) of this stack goes first: tracked, task and destroy runs take the stack's lock one at a time, oldest first`,
      next: `that run waits for a person: gantry run confirm ${a.id}, or gantry run discard ${a.id}`,
    });
    expect((await t.admin.call("getRun", { params: { id: c.id } })).waiting?.reason).toContain(`run ${a.id} (UNCONFIRMED)`);
    expect((await t.admin.call("getRun", { params: { id: p1.id } })).waiting).toBeNull();
    await t.admin.call("discardRun", { params: { id: a.id } });
    expect(await state(b.id)).toBe("READY");
    expect(await state(c.id)).toBe("QUEUED");
    expect((await t.admin.call("getRun", { params: { id: c.id } })).waiting?.reason).toContain(`run ${b.id} (READY)`);
    await t.admin.call("cancelRun", { params: { id: b.id } });
    expect(await state(c.id)).toBe("READY");

    const list = await t.admin.call("listStackRuns", { params: { id: s.id }, query: {} });
    expect(list.items.map((r) => r.id)).toEqual([p2.id, c.id, p1.id, b.id, a.id]);
    const detail = await t.admin.call("getRun", { params: { id: a.id } });
    expect(detail.history.map((h) => [h.from, h.to, h.cause])).toEqual([
      [null, "QUEUED", "user"], ["QUEUED", "READY", "scheduler"], ["READY", "PREPARING", "worker"], ["PREPARING", "INITIALIZING", "worker"],
      ["INITIALIZING", "PLANNING", "worker"], ["PLANNING", "UNCONFIRMED", "worker"], ["UNCONFIRMED", "DISCARDED", "user"],
    ]);
    for (const id of [p1.id, p2.id, c.id]) await t.admin.call("cancelRun", { params: { id } });
  });

  it("refuses illegal moves with the reason and keeps the run as it was", async () => {
    const s = await stack();
    const r = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TRACKED" } });
    const err = await failure(t.admin.call("confirmRun", { params: { id: r.id } }));
    expect(err.code).toBe("conflict");
    expect(err.message).toContain("only an UNCONFIRMED run can be confirmed");
    expect((await failure(t.admin.call("stopRun", { params: { id: r.id } }))).message).toContain("cancel");
    expect(await state(r.id)).toBe("READY");
    await t.admin.call("cancelRun", { params: { id: r.id } });
    const bad = await failure(t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK" } }));
    expect(bad.code).toBe("invalid");
  });

  it("applies a confirmed run on whichever worker claims it next, and finishes", async () => {
    const s = await stack();
    const r = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TRACKED" } });
    const planJob = await planToUnconfirmed(w, r.id);
    await t.admin.call("confirmRun", { params: { id: r.id } });
    const other = await protocolWorker(t, "other");
    const applyJob = await other.claimRun(r.id);
    expect(applyJob.phase).toBe("apply");
    expect(applyJob.runToken).not.toBe(planJob.runToken);
    // The planning worker's token was replaced: it can no longer report for the run.
    expect((await w.report(planJob, "APPLYING")).status).toBe(401);
    expect((await other.report(applyJob, "APPLYING")).status).toBe(200);
    expect((await other.report(applyJob, "FINISHED")).status).toBe(200);
    expect(await state(r.id)).toBe("FINISHED");
    // A finished run's token is dead.
    expect((await other.report(applyJob, "FAILED")).status).toBe(401);
  });

  it("autodeploys a tracked run with changes and finishes one without changes", async () => {
    const s = await stack({ autodeploy: true });
    const r1 = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const j1 = await w.claimRun(r1.id);
    await w.report(j1, "INITIALIZING");
    await w.report(j1, "PLANNING");
    expect((await w.plan(j1, { added: 1, changed: 0, deleted: 0 })).next).toBe("APPLYING");
    await w.report(j1, "FINISHED");
    const r2 = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const j2 = await w.claimRun(r2.id);
    await w.report(j2, "INITIALIZING");
    await w.report(j2, "PLANNING");
    expect((await w.plan(j2, { added: 0, changed: 0, deleted: 0 })).next).toBe("FINISHED");
    expect((await t.admin.call("getRun", { params: { id: r2.id } })).delta).toEqual({ added: 0, changed: 0, deleted: 0, outputs: 0 });
  });

  it("lets only the lock owner trigger runs on a locked stack", async () => {
    const s = await stack({ spaceId: "root" });
    const other = await userWithRole(t, `locker${dialect}`, [{ spaceId: "root", role: "write" }]);
    const asOther = t.client(other.key);
    await asOther.call("lockStack", { params: { id: s.id }, body: { note: "maintenance" } });
    expect((await t.admin.call("getStack", { params: { id: s.id } })).lockedBy).toBe(other.id);
    const refused = await failure(t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } }));
    expect(refused.message).toContain("locked by");
    const mine = await asOther.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } });
    await asOther.call("cancelRun", { params: { id: mine.id } });
    // An admin may break the lock.
    await t.admin.call("unlockStack", { params: { id: s.id } });
    const r = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } });
    await t.admin.call("cancelRun", { params: { id: r.id } });
  });

  it("stops a running run, tells its worker through the heartbeat, and retries it", async () => {
    const s = await stack();
    const r = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK", command: "echo hi" } });
    const job = await w.claimRun(r.id);
    expect(job.command).toBe("echo hi");
    expect((await w.heartbeat([r.id])).stopRunIds).toEqual([]);
    await t.admin.call("stopRun", { params: { id: r.id } });
    expect((await w.heartbeat([r.id])).stopRunIds).toEqual([r.id]);
    expect((await w.report(job, "INITIALIZING")).status).toBe(401);
    const again = await t.admin.call("retryRun", { params: { id: r.id } });
    expect(again).toMatchObject({ type: "TASK", command: "echo hi", state: "READY" });
    await t.admin.call("cancelRun", { params: { id: again.id } });
  });

  it("wakes a long-polling worker as soon as a run is queued", async () => {
    const s = await stack();
    const waiting = w.claim(20_000);
    await new Promise((r) => setTimeout(r, 150));
    const t0 = performance.now();
    const r = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } });
    const job = await waiting;
    expect(job?.runId).toBe(r.id);
    expect(performance.now() - t0).toBeLessThan(3000); // far below the 20 s wait: woken by the event, not a timer
    await w.report(job!, "FAILED", { note: "test done" });
    expect((await t.admin.call("getRun", { params: { id: r.id } })).failureReason).toBe("test done");
  });

  it("refuses the worker protocol without a pool token, and user keys on it", async () => {
    expect((await t.raw("POST", "/api/v1/worker/register", { body: JSON.stringify({ name: "x" }) })).status).toBe(401);
    expect((await t.raw("POST", "/api/v1/worker/register", { token: t.adminKey, body: JSON.stringify({ name: "x" }) })).status).toBe(401);
    const pool = await t.admin.call("createWorkerPool", { body: { name: `private-${dialect}` } });
    const reg = await t.raw("POST", "/api/v1/worker/register", { token: pool.token, body: JSON.stringify({ name: "x" }) });
    expect(reg.status).toBe(200);
    // A private pool's worker cannot claim as the built-in pool's worker.
    expect((await t.raw("POST", `/api/v1/worker/${w.workerId}/claim`, { token: pool.token, body: JSON.stringify({ waitMs: 0 }) })).status).toBe(404);
    await t.admin.call("resetWorkerPoolToken", { params: { id: pool.pool.id } });
    expect((await t.raw("POST", "/api/v1/worker/register", { token: pool.token, body: JSON.stringify({ name: "x" }) })).status).toBe(401);
  });

  it("fails the runs of a worker that stopped heartbeating, with the reason, and lets the queue move", async () => {
    const s = await stack();
    const dead = await protocolWorker(t, "doomed");
    const r1 = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const r2 = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const job = await dead.claimRun(r1.id);
    await dead.report(job, "INITIALIZING");
    const failed = await reapOnce(t.server.runEngineForTests!, 0, Date.now() + 1000);
    expect(failed).toContain(r1.id);
    const run = await t.admin.call("getRun", { params: { id: r1.id } });
    expect(run.state).toBe("FAILED");
    expect(run.failureReason).toContain("stopped heartbeating");
    expect(run.history.at(-1)?.cause).toBe("reaper");
    expect(await state(r2.id)).toBe("READY");
    await t.admin.call("cancelRun", { params: { id: r2.id } });
    w = await protocolWorker(t); // the reaper declared every silent worker gone
  });

  it("deletes a stack's runs and every blob they and its state own, but not while a run executes", async () => {
    const blobCount = async () => (JSON.parse(await dumpTable(t, "blobs")) as unknown[]).length;
    const before = await blobCount();
    const s = await stack();
    const planned = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const job = await planToUnconfirmed(w, planned.id); // uploads a workspace archive
    const put = await t.raw("PUT", `/api/v1/worker/runs/${planned.id}/artifacts/plan-file`, { token: job.runToken, body: "a plan file", headers: { "content-type": "application/octet-stream" } });
    expect(put.status).toBe(204);
    const doc = JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "del-1", outputs: {}, resources: [] });
    expect((await t.raw("POST", `/state/${s.id}`, { token: t.adminKey, body: doc })).status).toBe(200);
    await t.admin.call("discardRun", { params: { id: planned.id } });
    const proposed = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } });
    const executing = await w.claimRun(proposed.id);
    expect(await blobCount()).toBeGreaterThanOrEqual(before + 3);

    const refused = await failure(t.admin.call("deleteStack", { params: { id: s.id } }));
    expect(refused.message).toContain(`has run ${proposed.id} in progress`);
    await w.report(executing, "FAILED", { note: "set aside" });
    await t.admin.call("deleteStack", { params: { id: s.id } });
    expect(await blobCount()).toBe(before);
    expect((await failure(t.admin.call("getRun", { params: { id: planned.id } }))).status).toBe(404);
    expect(await dumpTable(t, "state_versions")).not.toContain("del-1");
  });
});
