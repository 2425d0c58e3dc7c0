/**
 * Scheduled tasks, destroys and deletes through the API, on both dialects, with an injected clock
 * (the schedule runner is driven with runNow): bad input refused, next run times, firing once
 * per due time, the delete after a destroy. Then two PostgreSQL replicas: concurrent firers and a
 * holder that dies at the due moment still fire each due time exactly once.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../src/index.js";
import { createPostgresDatabase, dialects, failure, startTestServer, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

describe.each(dialects)("schedules (%s)", (dialect) => {
  let t: TestServer;
  let worker: ProtocolWorker;
  let clock = new Date("2030-06-01T10:00:00Z");
  let n = 0;

  beforeAll(async () => {
    t = await startTestServer(dialect, { clock: () => clock });
    worker = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  const stack = (extra: Record<string, unknown> = {}) => t.admin.call("createStack", { body: { name: `sched${++n}`, repository: "/srv/infra.git", ...extra } });
  /** One round that surely read the clock as set: the first call may join a round a wake-up started earlier. */
  const round = async () => {
    await t.server.schedulesForTests!.schedules.runNow();
    await t.server.schedulesForTests!.schedules.runNow();
  };
  const runsOf = async (id: string) => (await t.admin.call("listStackRuns", { params: { id }, query: {} })).items;

  it("refuses bad schedules with the field and what to do, creating nothing", async () => {
    const s = await stack({ protectFromDeletion: true });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ kind: "TASK", command: "echo hi", at: "2030-06-01T09:00:00Z" }, '["at"]', "is in the past"],
      [{ kind: "TASK", command: "echo hi", every: ["0 25 * * *"] }, '["every",0]', 'invalid cron expression "0 25 * * *"'],
      [{ kind: "TASK", every: ["0 * * * *"] }, '["command"]', "needs the command"],
      [{ kind: "DESTROY", command: "rm -rf /", at: "2030-06-02T00:00:00Z" }, '["command"]', "runs no command"],
      [{ kind: "DELETE", every: ["0 * * * *"] }, '["every"]', "give `at`"],
      [{ kind: "TASK", command: "x" }, '["at"]', "needs `at`"],
      [{ kind: "TASK", command: "x", at: "2030-06-02T00:00:00Z", deleteResources: false }, '["deleteResources"]', "only applies to DELETE"],
    ];
    for (const [body, path, message] of cases) {
      const err = await failure(t.admin.call("createSchedule", { params: { id: s.id }, body: body as never }));
      expect(err.status, JSON.stringify(body)).toBe(422);
      expect(err.message).toContain(message);
      expect(JSON.stringify(err.details)).toContain(path);
    }
    const protectedDelete = await failure(t.admin.call("createSchedule", { params: { id: s.id }, body: { kind: "DELETE", at: "2030-06-02T00:00:00Z" } }));
    expect(protectedDelete.status).toBe(409);
    expect(protectedDelete.message).toContain("protected from deletion");
    expect((await t.admin.call("listSchedules", { params: { id: s.id } })).items).toEqual([]);
  });

  it("runs a scheduled task once per due time and shows the next run time", async () => {
    clock = new Date("2030-06-01T10:00:00Z");
    const s = await stack();
    const task = await t.admin.call("createSchedule", { params: { id: s.id }, body: { kind: "TASK", command: "terraform state list", every: ["*/15 * * * *"] } });
    expect(task).toMatchObject({ kind: "TASK", command: "terraform state list", every: ["*/15 * * * *"], nextRunAt: "2030-06-01T10:15:00.000Z", lastRunAt: null, createdBy: "admin" });
    await round();
    expect(await runsOf(s.id)).toEqual([]);
    clock = new Date("2030-06-01T10:15:00.200Z");
    await Promise.all([round(), round()]);
    await round();
    const [run, ...rest] = await runsOf(s.id);
    expect(rest).toEqual([]);
    expect(run).toMatchObject({ type: "TASK", command: "terraform state list" });
    expect(run!.triggeredBy).toContain(`schedule:${task.id}`);
    const after = await t.admin.call("getSchedule", { params: { id: s.id, scheduleId: task.id } });
    expect(after).toMatchObject({ nextRunAt: "2030-06-01T10:30:00.000Z", lastRunAt: "2030-06-01T10:15:00.000Z", lastRunId: run!.id });
    await t.admin.call("deleteSchedule", { params: { id: s.id, scheduleId: task.id } });
    clock = new Date("2030-06-01T11:00:00Z");
    await round();
    expect(await runsOf(s.id)).toHaveLength(1);
  });

  it("destroys at a time, once, and forgets the one-shot schedule", async () => {
    clock = new Date("2030-06-01T12:00:00Z");
    const s = await stack();
    await t.admin.call("createSchedule", { params: { id: s.id }, body: { kind: "DESTROY", at: "2030-06-01T12:30:00+00:00" } });
    clock = new Date("2030-06-01T12:31:00Z");
    await round();
    await round();
    expect((await runsOf(s.id)).map((r) => r.type)).toEqual(["DESTROY"]);
    expect((await t.admin.call("listSchedules", { params: { id: s.id } })).items).toEqual([]);
  });

  it("deletes a stack at a time, with or without destroying its resources first", async () => {
    clock = new Date("2030-06-01T13:00:00Z");
    const only = await stack();
    const destroyFirst = await stack({ autodeploy: true });
    await t.admin.call("createSchedule", { params: { id: only.id }, body: { kind: "DELETE", at: "2030-06-01T14:00:00Z", deleteResources: false } });
    const del = await t.admin.call("createSchedule", { params: { id: destroyFirst.id }, body: { kind: "DELETE", at: "2030-06-01T14:00:00Z" } });
    expect(del).toMatchObject({ deleteResources: true, nextRunAt: "2030-06-01T14:00:00.000Z" });
    clock = new Date("2030-06-01T14:00:00Z");
    await round();
    expect((await failure(t.admin.call("getStack", { params: { id: only.id } }))).status).toBe(404);
    // Destroy first: the stack stays until its destroy run finishes.
    const [destroy] = await runsOf(destroyFirst.id);
    expect(destroy).toMatchObject({ type: "DESTROY" });
    expect(await t.admin.call("getSchedule", { params: { id: destroyFirst.id, scheduleId: del.id } })).toMatchObject({ nextRunAt: null, lastRunId: destroy!.id });
    const job = await worker.claimRun(destroy!.id);
    await worker.report(job, "INITIALIZING");
    await worker.report(job, "PLANNING");
    expect((await worker.plan(job, { added: 0, changed: 0, deleted: 2 })).next).toBe("DESTROYING");
    await round();
    expect((await t.admin.call("getStack", { params: { id: destroyFirst.id } })).id).toBe(destroyFirst.id);
    expect((await worker.report(job, "FINISHED")).status).toBe(200);
    await round();
    expect((await failure(t.admin.call("getStack", { params: { id: destroyFirst.id } }))).status).toBe(404);
  });
});

describe("schedules across PostgreSQL replicas", () => {
  const servers: RunningServer[] = [];
  const dirs: string[] = [];
  let clock = new Date("2031-01-01T00:00:00Z");

  beforeAll(async () => {
    const databaseUrl = await createPostgresDatabase();
    const encryptionKey = randomBytes(32).toString("base64");
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), "gantry-sched-replica-"));
      dirs.push(dataDir);
      servers.push(await startServer(loadConfig({ argv: { port: 0, dataDir, databaseUrl, encryptionKey }, env: {} }), { log: pino({ level: "silent" }), clock: () => clock }));
      // Let the first replica take the exclusive locks before the second starts.
      if (i === 0) await waitFor(() => servers[0]!.subsystems().find((s) => s.name === "schedule-runner")?.state === "running");
    }
    await waitFor(() => servers[1]!.subsystems().find((s) => s.name === "schedule-runner")?.state === "standby");
  });
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20_000) {
    const deadline = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("fires each due time once, with rounds racing on both replicas and after the holder dies at the due moment", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const state = (s: RunningServer) => s.subsystems().find((x) => x.name === "schedule-runner")?.state;
    expect([state(a), state(b)]).toEqual(["running", "standby"]);
    const admin = new GantryClient({ baseUrl: b.url, token: a.adminApiKey! });
    const s = await admin.call("createStack", { body: { name: "replicated-schedule", repository: "/srv/x.git" } });
    await admin.call("createSchedule", { params: { id: s.id }, body: { kind: "TASK", command: "echo tick", every: ["0 * * * *"] } });
    const tasks = async () => (await admin.call("listStackRuns", { params: { id: s.id }, query: {} })).items.filter((r) => r.type === "TASK");

    // Due: rounds of both replicas race (a takeover while the old holder is still in its round).
    clock = new Date("2031-01-01T01:00:00Z");
    const [ra, rb] = [a.schedulesForTests!.schedules, b.schedulesForTests!.schedules];
    await Promise.all([ra.runNow(), rb.runNow(), ra.runNow(), rb.runNow()]);
    await Promise.all([ra.runNow(), rb.runNow()]);
    expect(await tasks()).toHaveLength(1);

    // The holder dies exactly when the next hour is due: the other replica takes over and fires it once.
    clock = new Date("2031-01-01T02:00:00Z");
    await a.close();
    await waitFor(() => state(b) === "running");
    await waitFor(async () => (await tasks()).length === 2);
    await rb.runNow();
    expect(await tasks()).toHaveLength(2);
    expect((await admin.call("listSchedules", { params: { id: s.id } })).items[0]).toMatchObject({ lastRunAt: "2031-01-01T02:00:00.000Z", nextRunAt: "2031-01-01T03:00:00.000Z" });
  });
});
