/**
 * Run API tokens of administrative stacks (`gra_...`), through the real server and the worker
 * protocol on both dialects: who gets one, what it may reach (its stack's space subtree, nothing
 * above or beside it), how the audit trail names the run, and when it stops working.
 */
import type { Job } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, failure, startTestServer, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

describe.each(dialects)("run API tokens (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
    await t.admin.call("createSpace", { body: { id: "platform", name: "platform", parentSpaceId: "root" } });
    await t.admin.call("createSpace", { body: { id: "platform-team", name: "team", parentSpaceId: "platform" } });
    await t.admin.call("createSpace", { body: { id: "sibling", name: "sibling", parentSpaceId: "root" } });
    await t.admin.call("createStack", { body: { id: "mgmt", name: "mgmt", spaceId: "platform", repository: "/srv/infra.git", administrative: true } });
    await t.admin.call("createStack", { body: { id: "plain", name: "plain", spaceId: "platform", repository: "/srv/infra.git" } });
  });
  afterAll(() => t?.stop());

  const claimTracked = async (stackId: string): Promise<Job> => {
    const run = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "TRACKED" } });
    return w.claimRun(run.id);
  };

  it("gives administrative runs a token for their stack's space subtree only, and names the run in the audit trail", async () => {
    const plain = await claimTracked("plain");
    expect(plain.administrative).toBe(false);
    expect(plain.apiToken).toBeNull();
    await w.report(plain, "FAILED", { note: "not needed" });

    const job = await claimTracked("mgmt");
    expect(job.administrative).toBe(true);
    expect(job.apiToken).toMatch(/^gra_/);
    const secret = job.apiToken!.replace(/^gra_[0-9A-Za-z]+_/, "");
    expect(secret.length).toBeGreaterThan(40);
    expect(await dumpTable(t, "run_api_tokens")).not.toContain(secret);
    const run = t.client(job.apiToken!);

    expect(await run.call("me", {})).toMatchObject({ kind: "run", id: job.runId, roles: [{ spaceId: "platform", role: "admin" }] });
    // Inside its subtree it is an admin.
    const space = await run.call("createSpace", { body: { id: "platform-new", name: "new", parentSpaceId: "platform-team" } });
    const stack = await run.call("createStack", { body: { id: "made-by-run", name: "made by run", spaceId: "platform-new", repository: "/srv/infra.git", labels: ["env:x"] } });
    expect(stack.spaceId).toBe(space.id);
    const spaces = (await run.call("listSpaces", { query: {} })).items.map((s) => s.id).sort();
    expect(spaces).not.toContain("sibling");
    expect(spaces).toEqual(expect.arrayContaining(["platform", "platform-team", "platform-new"]));

    // Nothing above it or beside it.
    const above = await failure(run.call("createSpace", { body: { id: "escape", name: "escape", parentSpaceId: "root" } }));
    expect([above.status, above.code]).toEqual([403, "forbidden"]);
    const beside = await failure(run.call("createStack", { body: { name: "beside", spaceId: "sibling", repository: "/srv/infra.git" } }));
    expect([beside.status, beside.code]).toEqual([403, "forbidden"]);
    const widen = await failure(run.call("updateStack", { params: { id: "mgmt" }, body: { spaceId: "root" } }));
    expect(widen.status).toBe(403);
    expect((await failure(run.call("getStack", { params: { id: "plain-root-does-not-matter" } }))).status).toBe(404);
    await t.admin.call("createStack", { body: { id: "rootstack", name: "rootstack", repository: "/srv/infra.git" } });
    expect((await failure(run.call("deleteStack", { params: { id: "rootstack" } }))).status).toBe(403);

    const audit = await t.admin.call("listAuditEvents", { query: { targetId: "made-by-run" } });
    expect(audit.items.map((e) => [e.actorType, e.actorId, e.action])).toEqual([["run", job.runId, "stack.create"]]);
    await w.report(job, "FAILED", { note: "done" });
  });

  it("stops working when the run waits for a person, is replaced by the apply phase's token, and dies with the run", async () => {
    const plan = await claimTracked("mgmt");
    const whoami = (token: string) => t.client(token).call("getSpace", { params: { id: "platform" } });
    await w.report(plan, "INITIALIZING");
    await w.report(plan, "PLANNING");
    await expect(whoami(plan.apiToken!)).resolves.toMatchObject({ id: "platform" });
    expect((await w.plan(plan, { added: 1, changed: 0, deleted: 0 })).next).toBe("UNCONFIRMED");
    const waiting = await failure(whoami(plan.apiToken!));
    expect([waiting.status, waiting.code]).toEqual([401, "unauthenticated"]);
    expect(waiting.message).toContain(`run ${plan.runId}, which is UNCONFIRMED`);

    // Saving the workspace releases the run; once confirmed, the next claim is the apply phase.
    const put = await fetch(`${t.url}/api/v1/worker/runs/${plan.runId}/artifacts/workspace`, {
      method: "PUT", headers: { authorization: `Bearer ${plan.runToken}`, "content-type": "application/octet-stream" }, body: Buffer.from("workspace"),
    });
    expect(put.status).toBe(204);
    await t.admin.call("confirmRun", { params: { id: plan.runId } });
    const apply = await w.claimRun(plan.runId);
    expect(apply.phase).toBe("apply");
    expect(apply.apiToken).toMatch(/^gra_/);
    expect(apply.apiToken).not.toBe(plan.apiToken);
    const replaced = await failure(whoami(plan.apiToken!));
    expect(replaced.message).toContain("replaced by a later phase");
    await w.report(apply, "APPLYING");
    await expect(whoami(apply.apiToken!)).resolves.toMatchObject({ id: "platform" });
    await w.report(apply, "FINISHED");
    const ended = await failure(whoami(apply.apiToken!));
    expect([ended.status, ended.code]).toEqual([401, "unauthenticated"]);
    expect(ended.message).toContain("which is FINISHED");
  });

  it("refuses an expired token and a forged one", async () => {
    const job = await claimTracked("mgmt");
    const read = (token: string) => t.client(token).call("getSpace", { params: { id: "platform" } });
    await expect(read(job.apiToken!)).resolves.toMatchObject({ id: "platform" });
    const forged = job.apiToken!.slice(0, -4) + (job.apiToken!.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await failure(read(forged))).status).toBe(401);
    const db = t.server.runEngineForTests!.core.db;
    await db.updateTable("run_api_tokens").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("run_id", "=", job.runId).execute();
    const expired = await failure(read(job.apiToken!));
    expect([expired.status, expired.code]).toEqual([401, "unauthenticated"]);
    expect(expired.message).toMatch(/expired at/);
    await w.report(job, "FAILED", { note: "done" });
  });
});
