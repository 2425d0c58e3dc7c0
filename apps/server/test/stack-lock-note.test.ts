/**
 * Why a stack is locked, on both dialects: `lockStack`'s note is kept with the lock and returned
 * with the stack (`lockNote`, in the stack and the stacks list) and in the audit entry; a blank
 * note is none; unlocking clears it, so a later lock without a note shows none; an over-long
 * note is refused at its field and the stack stays unlocked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, type TestServer } from "./harness.js";

describe.each(dialects)("a stack lock's note (%s)", (dialect) => {
  let t: TestServer;
  let n = 0;
  const stack = async () => (await t.admin.call("createStack", { body: { name: `locked${++n}`, repository: "/srv/infra.git" } })).id;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.stop());

  it("keeps the note with the lock, in the stack, the list and the audit entry, and clears it on unlock", async () => {
    const id = await stack();
    const locked = await t.admin.call("lockStack", { params: { id }, body: { note: "  migrating the state bucket  " } });
    expect(locked).toMatchObject({ lockedBy: expect.any(String), lockNote: "migrating the state bucket" });
    expect((await t.admin.call("getStack", { params: { id } })).lockNote).toBe("migrating the state bucket");
    expect((await t.admin.call("listStacks", { query: { search: id } })).items.find((s) => s.id === id)?.lockNote).toBe("migrating the state bucket");
    const audit = await t.admin.call("listAuditEvents", { query: { action: "stack.lock", targetId: id } });
    expect(audit.items.map((e) => e.payload)).toEqual([{ note: "migrating the state bucket" }]);

    expect((await t.admin.call("unlockStack", { params: { id } })).lockNote).toBeNull();
    expect((await t.admin.call("getStack", { params: { id } })).lockNote).toBeNull();
    await t.admin.call("lockStack", { params: { id }, body: {} });
    expect((await t.admin.call("getStack", { params: { id } })).lockNote).toBeNull();
  });

  it("stores a blank note as none", async () => {
    const id = await stack();
    expect((await t.admin.call("lockStack", { params: { id }, body: { note: "   " } })).lockNote).toBeNull();
  });

  it("refuses a note over 1000 characters at its field, leaving the stack unlocked", async () => {
    const id = await stack();
    const err = await failure(t.admin.call("lockStack", { params: { id }, body: { note: "x".repeat(1001) } }));
    expect(err.status).toBe(422);
    expect(err.details).toMatchObject({ issues: [{ path: ["note"] }] });
    expect(await t.admin.call("getStack", { params: { id } })).toMatchObject({ lockedBy: null, lockNote: null });
  });
});
