/**
 * TRIGGER policies on both dialects, with the real server and the worker protocol: the seed
 * blog's module-change policy (`module:` / `depends-on:` labels) as the acceptance test, the
 * creator's write access deciding what may be triggered, never twice per triggering run, loops
 * cut by the trigger chain, and a failing policy triggering nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

/** The blog's policy, verbatim (Rego v0). */
const moduleChange = `package spacelift
# Trigger stacks that use the updated module
trigger[stack_id] {
  # The stack that just finished is a module
  input.run.state == "FINISHED"
  input.run.type == "TRACKED"
  # Get the module name from the triggering stack's labels
  module_label := input.stack.labels[_]
  startswith(module_label, "module:")
  module_name := substring(module_label, 7, -1)
  # Find stacks that depend on this module
  stack := input.stacks[_]
  dep_label := stack.labels[_]
  dep_label == sprintf("depends-on:%s", [module_name])
  stack_id := stack.id
}`;

const loop = `package spacelift
import rego.v1
trigger contains "loop-b" if { input.run.state == "FINISHED"; input.stack.id == "loop-a" }
trigger contains "loop-a" if { input.run.state == "FINISHED"; input.stack.id == "loop-b" }`;

describe.each(dialects)("TRIGGER policies (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let wendy: { id: string; key: string };
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
    // The spaces inherit from root, where the blog keeps its policies.
    for (const id of ["modules", "apps"]) await t.admin.call("createSpace", { body: { id, name: id, inheritEntities: true } });
    await t.admin.call("createPolicy", { body: { id: "module-change-trigger", name: "module-change-trigger", type: "TRIGGER", body: moduleChange, regoVersion: "V0", labels: ["autoattach:security-policies"] } });
    const stacks: [string, string, string[]][] = [
      ["mod-network", "modules", ["module:network"]],
      ["app-a", "apps", ["depends-on:network"]],
      ["app-b", "apps", ["depends-on:network", "team:b"]],
      ["app-dns", "apps", ["depends-on:dns"]],
    ];
    for (const [id, spaceId, labels] of stacks) await t.admin.call("createStack", { body: { id, name: id, spaceId, repository: "/srv/infra.git", labels: [...labels, "security-policies"] } });
    wendy = await userWithRole(t, "wendy", [{ spaceId: "root", role: "write" }]);
  });
  afterAll(() => t?.stop());

  /** Takes a queued run through planning with no changes: it ends FINISHED (a terminal state). */
  async function finish(runId: string) {
    const job = await w.claimRun(runId);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    expect((await w.plan(job, { added: 0, changed: 0, deleted: 0 })).next).toBe("FINISHED");
  }
  const runsOf = async (stackId: string) => (await t.admin.call("listStackRuns", { params: { id: stackId }, query: { limit: 50 } })).items;
  const lastTrigger = async (runId: string) => (await t.admin.call("listAuditEvents", { query: { limit: 1, action: "run.trigger", targetId: runId } })).items[0]?.payload;

  it("triggers a TRACKED run of every stack that depends on the module that just changed, as its creator", async () => {
    const run = await t.client(wendy.key).call("createRun", { params: { id: "mod-network" }, body: {} });
    await finish(run.id);
    for (const id of ["app-a", "app-b"]) {
      const [triggered, ...rest] = await runsOf(id);
      expect(rest).toEqual([]);
      expect(triggered).toMatchObject({ type: "TRACKED", triggeredBy: "wendy", triggeredByRun: run.id, triggerChain: ["mod-network"], commit: { message: `triggered by run ${run.id} of stack mod-network` } });
      const detail = await t.admin.call("getRun", { params: { id: triggered!.id } });
      expect(detail.history[0]).toMatchObject({ to: "QUEUED", cause: "policy", note: `triggered by run ${run.id} of stack mod-network (trigger policy)` });
    }
    expect(await runsOf("app-dns")).toEqual([]);
    const receipt = (await t.admin.call("getRun", { params: { id: run.id } })).policyReceipts.find((r) => r.type === "TRIGGER");
    expect(receipt).toMatchObject({ policyName: "module-change-trigger", outcome: "trigger", messages: { trigger: ["app-a", "app-b"] } });
  });

  it("never triggers twice for one triggering run", async () => {
    const run = (await runsOf("mod-network"))[0]!;
    const again = await t.server.runEngineForTests!.onBlockingRunFinished!(run.id);
    expect(again).toMatchObject({ triggered: [], skipped: [{ stackId: "app-a", reason: `run ${run.id} already triggered stack app-a` }, { stackId: "app-b", reason: `run ${run.id} already triggered stack app-b` }] });
    expect(await runsOf("app-a")).toHaveLength(1);
  });

  it("triggers only stacks the run's creator may write", async () => {
    const moduleOwner = await userWithRole(t, "mona", [{ spaceId: "modules", role: "write" }, { spaceId: "apps", role: "read" }]);
    const before = (await runsOf("app-a")).length;
    const run = await t.client(moduleOwner.key).call("createRun", { params: { id: "mod-network" }, body: {} });
    await finish(run.id);
    expect(await runsOf("app-a")).toHaveLength(before);
    expect(await lastTrigger(run.id)).toMatchObject({ triggered: [], skipped: [{ stackId: "app-a", reason: expect.stringContaining("mona, who created run") }, { stackId: "app-b", reason: expect.stringContaining("needs write, has read") }] });
  });

  it("ends loops: a stack already in the trigger chain is not triggered again", async () => {
    await t.admin.call("createPolicy", { body: { id: "loop", name: "loop", type: "TRIGGER", body: loop, labels: ["autoattach:loop"] } });
    for (const id of ["loop-a", "loop-b"]) await t.admin.call("createStack", { body: { id, name: id, spaceId: "apps", repository: "/srv/infra.git", labels: ["loop"] } });
    const first = await t.client(wendy.key).call("createRun", { params: { id: "loop-a" }, body: {} });
    await finish(first.id);
    const [b] = await runsOf("loop-b");
    expect(b).toMatchObject({ triggeredByRun: first.id, triggerChain: ["loop-a"] });
    await finish(b!.id);
    expect(await runsOf("loop-a")).toHaveLength(1);
    expect(await lastTrigger(b!.id)).toMatchObject({ triggered: [], skipped: [{ stackId: "loop-a", reason: expect.stringContaining("already in this trigger chain (loop-a -> loop-b)") }] });
  });

  it("triggers nothing when a policy fails to evaluate, and says so on the run", async () => {
    await t.admin.call("createPolicy", { body: { id: "broken-trigger", name: "broken-trigger", type: "TRIGGER", labels: ["autoattach:broken"], body: `package spacelift\nimport rego.v1\nx := 1 if true\nx := 2 if true\ntrigger contains "app-a" if x == 1` } });
    await t.admin.call("createStack", { body: { id: "broken-src", name: "broken-src", spaceId: "apps", repository: "/srv/infra.git", labels: ["broken"] } });
    const before = (await runsOf("app-a")).length;
    const run = await t.client(wendy.key).call("createRun", { params: { id: "broken-src" }, body: {} });
    await finish(run.id);
    expect(await runsOf("app-a")).toHaveLength(before);
    const receipt = (await t.admin.call("getRun", { params: { id: run.id } })).policyReceipts.find((r) => r.type === "TRIGGER");
    expect(receipt).toMatchObject({ policyName: "broken-trigger", outcome: "error" });
    expect(receipt?.messages.trigger?.[0]).toMatch(/TRIGGER policy broken-trigger failed to evaluate/);
    expect(await lastTrigger(run.id)).toMatchObject({ triggered: [], errors: [expect.stringContaining("broken-trigger")] });
  });
});
