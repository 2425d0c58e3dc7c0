/**
 * Drift detection through the API, on both dialects: settings with cron schedules checked by
 * croner, the scheduler firing at the due time of an injected clock (exclusive subsystem, driven
 * with runNow), the drift flag on runs, and what a drift run's plan means for the stack (drift
 * mark, reconcile run, cleared mark). Workers are driven through the real worker protocol.
 */
import type { Job, RunDelta } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

describe.each(dialects)("drift detection (%s)", (dialect) => {
  let t: TestServer;
  let worker: ProtocolWorker;
  let clock = new Date("2030-01-01T10:00:00Z");
  let n = 0;

  beforeAll(async () => {
    t = await startTestServer(dialect, { clock: () => clock });
    worker = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  const stack = (extra: Record<string, unknown> = {}) => t.admin.call("createStack", { body: { name: `drift${++n}`, repository: "/srv/infra.git", ...extra } });
  /** One round that surely read the clock as set: the first call may join a round a wake-up started earlier. */
  const round = async () => {
    await t.server.schedulesForTests!.drift.runNow();
    await t.server.schedulesForTests!.drift.runNow();
  };
  const runsOf = async (id: string) => (await t.admin.call("listStackRuns", { params: { id }, query: {} })).items;

  /** Takes a claimed PROPOSED run through a plan with `delta` and a plan JSON changing `addresses`. */
  async function planWith(job: Job, delta: RunDelta, addresses: string[]) {
    await worker.report(job, "INITIALIZING");
    await worker.report(job, "PLANNING");
    const planJson = JSON.stringify({ resource_changes: [...addresses.map((address) => ({ address, change: { actions: ["update"] } })), { address: "aws_vpc.same", change: { actions: ["no-op"] } }] });
    const res = await t.raw("POST", `/api/v1/worker/runs/${job.runId}/plan`, { token: job.runToken, body: JSON.stringify({ delta, planJson }) });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
  }

  it("refuses invalid cron expressions and time zones, naming the field and the parse error", async () => {
    const s = await stack();
    const bad = await failure(t.admin.call("putDriftDetection", { params: { id: s.id }, body: { schedule: ["0 * * * *", "99 * * * *"] } }));
    expect(bad.status).toBe(422);
    expect(bad.message).toContain('invalid cron expression "99 * * * *"');
    expect(bad.message).toMatch(/minute/i);
    expect(JSON.stringify(bad.details)).toContain('["schedule",1]');
    const tz = await failure(t.admin.call("putDriftDetection", { params: { id: s.id }, body: { schedule: ["0 * * * *"], timezone: "Mars/Olympus" } }));
    expect(tz.status).toBe(422);
    expect(tz.message).toContain("unknown time zone");
    expect((await failure(t.admin.call("getDriftDetection", { params: { id: s.id } }))).status).toBe(404);
    expect((await failure(t.admin.call("putDriftDetection", { params: { id: "nope" }, body: { schedule: ["0 * * * *"] } }))).status).toBe(404);
  });

  it("stores the schedule with its next run time in the time zone, and removes it", async () => {
    const s = await stack();
    const put = await t.admin.call("putDriftDetection", { params: { id: s.id }, body: { schedule: ["30 14 * * *"], timezone: "Europe/Paris", reconcile: true } });
    // 14:30 in Paris is 13:30 UTC in winter.
    expect(put).toMatchObject({ stackId: s.id, schedule: ["30 14 * * *"], timezone: "Europe/Paris", reconcile: true, ignoreState: false, nextRunAt: "2030-01-01T13:30:00.000Z", lastRunAt: null });
    expect(await t.admin.call("getDriftDetection", { params: { id: s.id } })).toEqual(put);
    const reader = await userWithRole(t, `reader${n}`, [{ spaceId: "root", role: "read" }]);
    expect((await failure(t.client(reader.key).call("putDriftDetection", { params: { id: s.id }, body: { schedule: ["0 * * * *"] } }))).status).toBe(403);
    expect((await t.client(reader.key).call("getDriftDetection", { params: { id: s.id } })).nextRunAt).toBe(put.nextRunAt);
    await t.admin.call("deleteDriftDetection", { params: { id: s.id } });
    expect((await failure(t.admin.call("getDriftDetection", { params: { id: s.id } }))).status).toBe(404);
  });

  it("fires at the due time: a PROPOSED run flagged driftDetection, once per due time, skipping stacks not FINISHED unless ignoreState", async () => {
    clock = new Date("2030-01-02T08:59:00Z");
    const resting = await stack();
    const busy = await stack();
    const pool = await t.admin.call("createWorkerPool", { body: { name: `pool${n}` } });
    const pooled = await stack({ workerPoolId: pool.pool.id });
    await t.admin.call("putDriftDetection", { params: { id: busy.id }, body: { schedule: ["0 9 * * *"] } });
    await t.admin.call("putDriftDetection", { params: { id: pooled.id }, body: { schedule: ["0 9 * * *"], ignoreState: true } });
    await t.admin.call("putDriftDetection", { params: { id: resting.id }, body: { schedule: ["0 9 * * *"], ignoreState: true } });
    await round();
    expect(await runsOf(pooled.id)).toEqual([]);
    clock = new Date("2030-01-02T09:00:00.000Z");
    await round();
    await round();
    const [run, ...more] = await runsOf(pooled.id);
    expect(more).toEqual([]);
    expect(run).toMatchObject({ type: "PROPOSED", driftDetection: true, triggeredBy: "drift-detection", state: "READY" });
    // The stack's own pool, a private one: drift detection is not tied to a kind of worker.
    const db = t.server.runEngineForTests!.core.db;
    expect((await db.selectFrom("runs").select("pool_id").where("id", "=", run!.id).executeTakeFirstOrThrow()).pool_id).toBe(pool.pool.id);
    // `busy` was never FINISHED (state NONE) and has no ignoreState: its due time passes without a run.
    expect(await runsOf(busy.id)).toEqual([]);
    expect((await t.admin.call("getDriftDetection", { params: { id: busy.id } })).nextRunAt).toBe("2030-01-03T09:00:00.000Z");
    expect((await t.admin.call("getDriftDetection", { params: { id: pooled.id } })).lastRunAt).toBe("2030-01-02T09:00:00.000Z");
    // While the drift run of `resting` is unfinished, the next due time does not pile another on.
    clock = new Date("2030-01-03T09:00:00.000Z");
    await round();
    expect(await runsOf(resting.id)).toHaveLength(1);
  });

  it("marks the stack drifted with the resources, queues a reconcile run, and clears the mark when a drift run finds nothing", async () => {
    const s = await stack();
    await t.admin.call("putDriftDetection", { params: { id: s.id }, body: { schedule: ["0 * * * *"], reconcile: true, ignoreState: true } });
    const check = await t.admin.call("createDriftCheck", { params: { id: s.id } });
    expect(check).toMatchObject({ type: "PROPOSED", driftDetection: true, stackId: s.id });
    await planWith(await worker.claimRun(check.id), { added: 0, changed: 1, deleted: 0, outputs: 0 }, ["aws_s3_bucket.logs"]);
    expect((await t.admin.call("getRun", { params: { id: check.id } })).state).toBe("FINISHED");
    const drifted = await t.admin.call("getStack", { params: { id: s.id } });
    expect(drifted.drift).toMatchObject({ resources: ["aws_s3_bucket.logs"], runId: check.id });
    expect((await t.admin.call("listStacks", { query: {} })).items.find((x) => x.id === s.id)?.drift?.runId).toBe(check.id);
    const reconcile = (await runsOf(s.id)).find((r) => r.type === "TRACKED");
    expect(reconcile).toMatchObject({ driftDetection: false, triggeredBy: "drift-detection" });
    expect((await t.admin.call("getRun", { params: { id: reconcile!.id } })).history[0]).toMatchObject({ to: "QUEUED", note: `reconcile drift found by run ${check.id}` });
    await worker.report(await worker.claimRun(reconcile!.id), "FAILED", { note: "not needed here" });
    // Nothing drifted any more: the next drift run clears the mark.
    const again = await t.admin.call("createDriftCheck", { params: { id: s.id } });
    await planWith(await worker.claimRun(again.id), { added: 0, changed: 0, deleted: 0, outputs: 0 }, []);
    expect((await t.admin.call("getStack", { params: { id: s.id } })).drift).toBeNull();
    expect((await runsOf(s.id)).filter((r) => r.type === "TRACKED")).toHaveLength(1);
  });

  it("puts drift_detection in the policy input of a drift run", async () => {
    const label = `drift-policy-${n}`;
    await t.admin.call("createPolicy", { body: { name: `drift-deny-${n}`, type: "PLAN", labels: [`autoattach:${label}`], body: "package spacelift\nimport rego.v1\ndeny contains \"drift run\" if input.spacelift.run.drift_detection\nwarn contains \"ordinary run\" if not input.spacelift.run.drift_detection" } });
    const s = await stack({ labels: [label] });
    const check = await t.admin.call("createDriftCheck", { params: { id: s.id } });
    await planWith(await worker.claimRun(check.id), { added: 0, changed: 1, deleted: 0, outputs: 0 }, ["terraform_data.x"]);
    const done = await t.admin.call("getRun", { params: { id: check.id } });
    expect(done.state).toBe("FAILED");
    expect(done.policyReceipts.map((r) => r.messages)).toContainEqual({ deny: ["drift run"], warn: [] });
  });
});
