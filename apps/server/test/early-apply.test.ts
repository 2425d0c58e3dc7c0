/**
 * A run applies before its plan JSON is stored only when nothing that decides needs the JSON:
 * `reportChanges` lets it go on (or answers PLANNING), `reportPlanJson` stores the JSON and
 * delta afterwards, and the run cannot finish before they are stored. On both dialects.
 */
import type { Job } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const planJson = JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "terraform_data.x", change: { actions: ["create"] } }] });
const delta = { added: 1, changed: 0, deleted: 0 };
/** Empty PLAN policies decide nothing, but they read the JSON; this approval policy lets queued runs start. */
const bodies = { PLAN: "package spacelift", APPROVAL: "package spacelift\nimport rego.v1\napprove if input.run.state == \"QUEUED\"" };

describe.each(dialects)("early apply (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let n = 0;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  const post = (job: Job, what: string, body: unknown) => t.raw("POST", `/api/v1/worker/runs/${job.runId}/${what}`, { token: job.runToken, body: JSON.stringify(body) });
  const storedPlan = async (runId: string) => {
    const engine = t.server.runEngineForTests!;
    return (await engine.blobs.latest(engine.core.db, "run", runId, "plan-json"))?.toString("utf8");
  };

  /** A stack with its own label; the policies are auto-attached to that label only. */
  async function stack(opts: { autodeploy: boolean; policies?: ("PLAN" | "APPROVAL")[] }) {
    const label = `early${++n}`;
    for (const [i, type] of (opts.policies ?? []).entries()) {
      await t.admin.call("createPolicy", { body: { id: `${label}-${i}`, name: `${label}-${i}`, type, body: bodies[type], labels: [`autoattach:${label}`] } });
    }
    return t.admin.call("createStack", { body: { name: `${label}-stack`, repository: "/srv/x.git", labels: [label], autodeploy: opts.autodeploy } });
  }

  async function planning(stackId: string, type: "TRACKED" | "DESTROY" | "PROPOSED" = "TRACKED") {
    const run = await t.admin.call("createRun", { params: { id: stackId }, body: { type } });
    const job = await w.claimRun(run.id);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    return job;
  }

  it("applies at once without PLAN policies, stores the late JSON and delta, and finishes only after", async () => {
    const s = await stack({ autodeploy: true });
    const job = await planning(s.id);
    const early = await post(job, "changes", { log: { phase: "planning", text: "Plan: 1 to add, 0 to change, 0 to destroy.\n" } });
    expect(early.json).toEqual({ next: "APPLYING", reason: null });
    let run = await t.admin.call("getRun", { params: { id: job.runId } });
    expect(run.state).toBe("APPLYING");
    expect(run.delta).toBeNull();
    const tooSoon = await w.report(job, "FINISHED");
    expect(tooSoon.status).toBe(409);
    expect(JSON.stringify(tooSoon.json)).toContain("no plan stored yet");
    expect((await post(job, "plan-json", { delta, planJson })).status).toBe(204);
    // Stored once: a second late JSON is refused.
    expect((await post(job, "plan-json", { delta, planJson })).status).toBe(409);
    expect((await w.report(job, "FINISHED")).status).toBe(200);
    run = await t.admin.call("getRun", { params: { id: job.runId } });
    expect(run.state).toBe("FINISHED");
    expect(run.delta).toEqual({ outputs: 0, ...delta });
    expect(await storedPlan(job.runId)).toBe(planJson);
    const logs = await t.admin.call("runLogs", { params: { id: job.runId }, query: {} });
    expect(JSON.stringify(logs)).toContain("Plan: 1 to add");
  });

  it("destroy runs go on to DESTROYING the same way", async () => {
    const s = await stack({ autodeploy: true });
    const job = await planning(s.id, "DESTROY");
    expect((await post(job, "changes", {})).json).toEqual({ next: "DESTROYING", reason: null });
    expect((await post(job, "plan-json", { delta: { added: 0, changed: 0, deleted: 1 }, planJson })).status).toBe(204);
    expect((await w.report(job, "FINISHED")).status).toBe(200);
  });

  const waiting: [string, { autodeploy: boolean; policies?: ("PLAN" | "APPROVAL")[] }][] = [
    ["a PLAN policy applies", { autodeploy: true, policies: ["PLAN"] }],
    ["an APPROVAL policy applies", { autodeploy: true, policies: ["APPROVAL"] }],
    ["the stack does not autodeploy", { autodeploy: false }],
  ];
  it.each(waiting)("waits for the full plan report when %s", async (_why, opts) => {
    const s = await stack(opts);
    const job = await planning(s.id);
    expect((await post(job, "changes", {})).json).toEqual({ next: "PLANNING", reason: null });
    expect((await t.admin.call("getRun", { params: { id: job.runId } })).state).toBe("PLANNING");
    // A late JSON is only for runs that went on without one.
    expect((await post(job, "plan-json", { delta, planJson })).status).toBe(409);
    const decision = await w.plan(job, delta);
    expect(decision.next).not.toBe("PLANNING");
  });

  it("decides with the policies that apply when the plan is reported (one attached mid-run counts)", async () => {
    const s = await stack({ autodeploy: true });
    const job = await planning(s.id);
    await t.admin.call("createPolicy", { body: { name: `late${n}`, type: "PLAN", body: "package spacelift", labels: [`autoattach:early${n}`] } });
    expect((await post(job, "changes", {})).json).toEqual({ next: "PLANNING", reason: null });
  });

  it("proposed runs always send the full plan, and a stopped run is refused", async () => {
    const s = await stack({ autodeploy: true });
    const proposed = await planning(s.id, "PROPOSED");
    expect((await post(proposed, "changes", {})).json).toEqual({ next: "PLANNING", reason: null });
    await w.report(proposed, "FAILED", { note: "done with it" });
    const job = await planning(s.id);
    await t.admin.call("stopRun", { params: { id: job.runId } });
    const refused = await post(job, "changes", {});
    expect(refused.status).toBeGreaterThanOrEqual(400);
  });
});
