/**
 * The terraform HTTP state backend at /state/<stack> on both dialects, as terraform 1.11 speaks
 * it: 204 when empty, LOCK/UNLOCK with 423 and the holder on conflict, force-unlock with an empty
 * body (admins only), a version per write, rollback, and state encrypted at rest.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker } from "./worker-protocol.js";

const basic = (secret: string) => `Basic ${Buffer.from(`gantry:${secret}`).toString("base64")}`;
const stateDoc = (serial: number, marker: string) => JSON.stringify({ version: 4, terraform_version: "1.11.4", serial, lineage: "lin-1", outputs: { marker: { value: marker, type: "string" } }, resources: [] });
const lockInfo = (id: string) => JSON.stringify({ ID: id, Operation: "OperationTypeApply", Info: "", Who: "ada@host", Version: "1.11.4", Created: new Date().toISOString(), Path: "" });


describe.each(dialects)("state backend (%s)", (dialect) => {
  let t: TestServer;
  let writerKey: string;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    writerKey = (await userWithRole(t, "state-writer", [{ spaceId: "root", role: "write" }])).key;
  });
  afterAll(() => t?.stop());

  const call = (method: string, path: string, secret: string | undefined, body?: string, headers: Record<string, string> = {}) =>
    fetch(t.url + path, { method, headers: { ...(secret ? { authorization: basic(secret) } : {}), "content-type": "application/json", ...headers }, body });

  it("speaks terraform's protocol: empty, lock, conflicting lock, write, read, unlock, force-unlock", async () => {
    const s = await t.admin.call("createStack", { body: { name: "state-a", repository: "/srv/x.git" } });
    const path = `/state/${s.id}`;
    expect((await call("GET", path, undefined)).status).toBe(401);
    expect((await call("GET", path, writerKey)).status).toBe(204);
    expect((await call("LOCK", `${path}/lock`, writerKey, lockInfo("L1"))).status).toBe(200);
    const conflict = await call("LOCK", `${path}/lock`, t.adminKey, lockInfo("L2"));
    expect(conflict.status).toBe(423);
    expect(await conflict.json()).toMatchObject({ ID: "L1", Who: "ada@host" });
    const body = stateDoc(1, "first");
    expect((await call("POST", `${path}?ID=L2`, writerKey, body)).status).toBe(423);
    const md5 = createHash("md5").update(body).digest("base64");
    expect((await call("POST", `${path}?ID=L1`, writerKey, body, { "content-md5": "AAAA" })).status).toBe(400);
    expect((await call("POST", `${path}?ID=L1`, writerKey, body, { "content-md5": md5 })).status).toBe(200);
    expect(await (await call("GET", path, writerKey)).text()).toBe(body);
    expect((await call("UNLOCK", `${path}/lock`, writerKey, lockInfo("L9"))).status).toBe(423);
    expect((await call("UNLOCK", `${path}/lock`, writerKey, lockInfo("L1"))).status).toBe(200);
    // force-unlock: an empty body; a writer may not, an admin may.
    expect((await call("LOCK", `${path}/lock`, writerKey, lockInfo("L3"))).status).toBe(200);
    expect((await call("UNLOCK", `${path}/lock`, writerKey, "")).status).toBe(403);
    expect((await call("UNLOCK", `${path}/lock`, t.adminKey, "")).status).toBe(200);
    expect((await call("LOCK", `${path}/lock`, t.adminKey, lockInfo("L4"))).status).toBe(200);
    expect((await call("UNLOCK", `${path}/lock`, t.adminKey, lockInfo("L4"))).status).toBe(200);
    // Encrypted at rest: the marker never appears in the database.
    expect(await dumpTable(t, "blobs")).not.toContain("first");
  });

  it("gives a run credentials for its own stack only, and only while it runs", async () => {
    const s = await t.admin.call("createStack", { body: { name: "state-b", repository: "/srv/x.git" } });
    const other = await t.admin.call("createStack", { body: { name: "state-c", repository: "/srv/x.git" } });
    const w = await protocolWorker(t);
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const job = await w.claimRun(run.id);
    expect(job.stateBackend?.address).toBe(`/state/${s.id}`);
    expect((await call("GET", `/state/${s.id}`, job.runToken)).status).toBe(204);
    expect((await call("GET", `/state/${other.id}`, job.runToken)).status).toBe(403);
    expect((await call("LOCK", `/state/${s.id}/lock`, job.runToken, lockInfo("R1"))).status).toBe(200);
    expect((await call("POST", `/state/${s.id}?ID=R1`, job.runToken, stateDoc(1, "by-run"))).status).toBe(200);
    // The run dies holding the lock: the lock goes with it, and so do its credentials.
    await w.report(job, "FAILED", { note: "boom" });
    expect((await call("GET", `/state/${s.id}`, job.runToken)).status).toBe(401);
    expect((await call("LOCK", `/state/${s.id}/lock`, writerKey, lockInfo("U1"))).status).toBe(200);
    await call("UNLOCK", `/state/${s.id}/lock`, writerKey, lockInfo("U1"));
    const versions = await t.admin.call("listStateVersions", { params: { id: s.id } });
    expect(versions.items[0]).toMatchObject({ runId: run.id, serial: 1, lineage: "lin-1" });
  });

  it("rolls back to an old version only for a locking admin with no pending runs", async () => {
    const s = await t.admin.call("createStack", { body: { name: "state-d", repository: "/srv/x.git" } });
    for (const [i, marker] of ["one", "two"].entries()) expect((await call("POST", `/state/${s.id}`, t.adminKey, stateDoc(i + 1, marker))).status).toBe(200);
    const [two, one] = (await t.admin.call("listStateVersions", { params: { id: s.id } })).items;
    expect(two!.serial).toBe(2);
    const unlocked = await t.admin.call("rollbackState", { params: { id: s.id, versionId: one!.id } }).catch((e: Error) => e);
    expect((unlocked as Error).message).toContain("lock stack");
    await t.admin.call("lockStack", { params: { id: s.id }, body: {} });
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } });
    expect(((await t.admin.call("rollbackState", { params: { id: s.id, versionId: one!.id } }).catch((e: Error) => e)) as Error).message).toContain("pending");
    await t.admin.call("cancelRun", { params: { id: run.id } });
    const back = await t.admin.call("rollbackState", { params: { id: s.id, versionId: one!.id } });
    expect(back.serial).toBe(3);
    const current = (await (await call("GET", `/state/${s.id}`, t.adminKey)).json()) as { serial: number; outputs: { marker: { value: string } } };
    expect(current).toMatchObject({ serial: 3, outputs: { marker: { value: "one" } } });
    await t.admin.call("unlockStack", { params: { id: s.id } });
  });
});
