/**
 * Stack dependencies through the API and the worker protocol on both dialects: the DAG and its
 * refusals, references, outputs for readers, deploys with dependents, downstream runs waiting
 * for their upstreams, triggered by a change, skipped when an upstream fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

describe.each(dialects)("stack dependencies (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let n = 0;
  const stack = async (extra: Record<string, unknown> = {}) =>
    t.admin.call("createStack", { body: { name: `dep${++n}`, repository: "/srv/infra.git", autodeploy: true, ...extra } });
  const depend = (stackId: string, on: string) => t.admin.call("createStackDependency", { params: { id: stackId }, body: { dependsOnStackId: on } });
  const runsOf = async (stackId: string) => (await t.admin.call("listStackRuns", { params: { id: stackId }, query: {} })).items;
  const getRun = (id: string) => t.admin.call("getRun", { params: { id } });

  async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Plays a worker applying a tracked run of an autodeploy stack with one resource added. */
  async function applyWithChanges(runId: string) {
    const job = await w.claimRun(runId);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    const { next } = await w.plan(job, { added: 1, changed: 0, deleted: 0 });
    expect(next).toBe("APPLYING");
    await w.report(job, "FINISHED");
  }

  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  it("keeps the graph acyclic, naming the cycle, and refuses unknown, duplicate and self dependencies", async () => {
    const [a, b, c] = [await stack(), await stack(), await stack()];
    await depend(b.id, a.id);
    await depend(c.id, b.id);
    const cycle = await failure(depend(a.id, c.id));
    expect(cycle.status).toBe(409);
    expect(cycle.message).toContain(`${a.id} -> ${c.id} -> ${b.id} -> ${a.id}`);
    expect(cycle.details).toEqual({
      cycle: [a.id, c.id, b.id, a.id],
      issues: [{ path: ["dependsOnStackId"], message: `would close the cycle ${a.id} -> ${c.id} -> ${b.id} -> ${a.id}: stack dependencies must form a DAG` }],
    });
    expect((await failure(depend(a.id, a.id))).message).toContain(`${a.id} -> ${a.id}`);
    const unknown = await failure(depend(a.id, "no-such-stack"));
    expect(unknown.status).toBe(422);
    expect(unknown.message).toContain("dependsOnStackId");
    const duplicate = await failure(depend(b.id, a.id));
    expect(duplicate.status).toBe(409);
    expect(duplicate.details).toMatchObject({ issues: [{ path: ["dependsOnStackId"] }] });
    const listed = await t.admin.call("listStackDependencies", { params: { id: b.id } });
    expect(listed.dependsOn.map((d) => d.dependsOnStackId)).toEqual([a.id]);
    expect(listed.dependents.map((d) => d.stackId)).toEqual([c.id]);
    // Nothing half-made: the refused edges are not there.
    expect((await t.admin.call("listStackDependencies", { params: { id: a.id } })).dependsOn).toEqual([]);
  });

  it("checks roles: write on the stack, read on the upstream in another space; outputs for readers only", async () => {
    await t.admin.call("createSpace", { body: { id: `net${dialect}`, name: "net" } });
    await t.admin.call("createSpace", { body: { id: `apps${dialect}`, name: "apps" } });
    await t.admin.call("createSpace", { body: { id: `secret${dialect}`, name: "secret" } });
    const up = await stack({ spaceId: `net${dialect}` });
    const hidden = await stack({ spaceId: `secret${dialect}` });
    const down = await stack({ spaceId: `apps${dialect}` });
    const dev = await userWithRole(t, `dev${dialect}`, [{ spaceId: `apps${dialect}`, role: "write" }, { spaceId: `net${dialect}`, role: "read" }]);
    const api = t.client(dev.key);
    const dep = await api.call("createStackDependency", { params: { id: down.id }, body: { dependsOnStackId: up.id } });
    expect(dep).toMatchObject({ stackId: down.id, dependsOnStackId: up.id, references: [] });
    const denied = await failure(api.call("createStackDependency", { params: { id: down.id }, body: { dependsOnStackId: hidden.id } }));
    expect(denied.status).toBe(403);
    expect(denied.message).toContain(`secret${dialect}`);
    // A reader of the upstream cannot change its dependencies.
    expect((await failure(api.call("createStackDependency", { params: { id: up.id }, body: { dependsOnStackId: down.id } }))).status).toBe(403);
    expect(await api.call("stackOutputs", { params: { id: up.id } })).toEqual({});
    expect((await failure(api.call("stackOutputs", { params: { id: hidden.id } }))).status).toBe(403);
    const ref = await api.call("createStackDependencyReference", { params: { id: down.id }, body: { dependencyId: dep.id, outputName: "vpc_id", inputName: "TF_VAR_vpc_id" } });
    expect(ref).toMatchObject({ dependencyId: dep.id, outputName: "vpc_id", inputName: "TF_VAR_vpc_id", triggerAlways: false });
    expect(await api.call("getStackDependencyReference", { params: { id: down.id, referenceId: ref.id } })).toEqual(ref);
    const dup = await failure(api.call("createStackDependencyReference", { params: { id: down.id }, body: { dependencyId: dep.id, outputName: "other", inputName: "TF_VAR_vpc_id" } }));
    expect(dup.status).toBe(409);
    const badName = await failure(api.call("createStackDependencyReference", { params: { id: down.id }, body: { dependencyId: dep.id, outputName: "vpc_id", inputName: "1bad" } }));
    expect(badName.status).toBe(422);
    expect(JSON.stringify(badName.details)).toContain("inputName");
    const noDep = await failure(api.call("createStackDependencyReference", { params: { id: down.id }, body: { dependencyId: "nope", outputName: "vpc_id", inputName: "X" } }));
    expect(noDep.message).toContain("dependencyId");
    expect((await api.call("getStackDependency", { params: { id: down.id, dependencyId: dep.id } })).references).toEqual([ref]);
    await api.call("deleteStackDependency", { params: { id: down.id, dependencyId: dep.id } });
    expect((await failure(api.call("getStackDependencyReference", { params: { id: down.id, referenceId: ref.id } }))).status).toBe(404);
    expect((await api.call("listStackDependencies", { params: { id: down.id } })).dependsOn).toEqual([]);
  });

  it("queues dependents after a change, holds them while an upstream runs, with the reason in run show", async () => {
    const [root, mid, leaf] = [await stack(), await stack(), await stack()];
    await depend(mid.id, root.id);
    await depend(leaf.id, mid.id);
    await depend(leaf.id, root.id);
    const deployed = await t.admin.call("deployStack", { params: { id: root.id }, body: { withDependents: true } });
    expect(deployed.runIds).toHaveLength(3);
    const [rootRun, midRun, leafRun] = deployed.runIds as [string, string, string];
    expect((await getRun(rootRun)).state).toBe("READY");
    const waiting = await getRun(leafRun);
    expect(waiting.state).toBe("QUEUED");
    expect(waiting.waitingForDependencies).toContain(`waiting for dependencies: ${root.id} (run ${rootRun} READY)`);
    expect(waiting.waitingForDependencies).toContain(`${mid.id} (run ${midRun} QUEUED)`);
    await applyWithChanges(rootRun);
    // The root changed: mid already has a queued run (no second one), it may start now; leaf still waits for mid.
    await until("mid READY", async () => ((await getRun(midRun)).state === "READY" ? true : undefined));
    expect((await runsOf(mid.id)).length).toBe(1);
    expect((await getRun(leafRun)).state).toBe("QUEUED");
    await applyWithChanges(midRun);
    await until("leaf READY", async () => ((await getRun(leafRun)).state === "READY" ? true : undefined));
    await applyWithChanges(leafRun);
    // A plain change of the root triggers its direct dependents, which trigger theirs.
    const again = await t.admin.call("createRun", { params: { id: root.id }, body: { type: "TRACKED" } });
    await applyWithChanges(again.id);
    const midNext = await until("a new mid run", async () => (await runsOf(mid.id)).find((r) => r.id !== midRun));
    expect(midNext.triggeredBy).toBe(`dependency on ${root.id} (run ${again.id})`);
    await until("mid READY", async () => ((await getRun(midNext.id)).state === "READY" ? true : undefined));
    // leaf was queued by the root's change too, and waits for mid.
    const leafNext = await until("a new leaf run", async () => (await runsOf(leaf.id)).find((r) => r.id !== leafRun));
    expect((await getRun(leafNext.id)).state).toBe("QUEUED");
    await applyWithChanges(midNext.id);
    await until("leaf READY", async () => ((await getRun(leafNext.id)).state === "READY" ? true : undefined));
    expect((await runsOf(leaf.id)).length).toBe(2);
    await applyWithChanges(leafNext.id);
  });

  it("skips the waiting downstream runs, transitively, when an upstream fails, and triggers nothing without changes", async () => {
    const [root, mid, leaf] = [await stack(), await stack(), await stack()];
    await depend(mid.id, root.id);
    await depend(leaf.id, mid.id);
    const { runIds } = await t.admin.call("deployStack", { params: { id: root.id }, body: { withDependents: true } });
    const job = await w.claimRun(runIds[0]!);
    const failed = await w.report(job, "FAILED", { note: "terraform init failed" });
    expect(failed.status, JSON.stringify(failed.json)).toBe(200);
    for (const id of runIds.slice(1)) {
      const skipped = await until(`run ${id} SKIPPED`, async () => {
        const r = await getRun(id);
        return r.state === "SKIPPED" ? r : undefined;
      });
      expect(skipped.failureReason).toBe(`upstream stack ${root.id} run ${runIds[0]} ended FAILED: terraform init failed`);
    }
    // No changes: the run finishes after planning and queues nothing downstream.
    const quiet = await t.admin.call("createRun", { params: { id: root.id }, body: { type: "TRACKED" } });
    const j2 = await w.claimRun(quiet.id);
    await w.report(j2, "INITIALIZING");
    await w.report(j2, "PLANNING");
    expect((await w.plan(j2, { added: 0, changed: 0, deleted: 0 })).next).toBe("FINISHED");
    await new Promise((r) => setTimeout(r, 300));
    // Twice: a round already in flight may have started before the event was committed.
    await t.server.dependencyDispatcherForTests!.runNow();
    await t.server.dependencyDispatcherForTests!.runNow();
    expect((await runsOf(mid.id)).length).toBe(1);
  });
});
