/**
 * State import through the API: an existing terraform state becomes the stack's first version
 * with its lineage and serial; another lineage or an older serial is refused unless an admin
 * forces it; it is audited without its content and stored encrypted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GantryClient } from "@gantry/contract";
import { dialects, dumpTable, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";

const stateDoc = (lineage: string, serial: number, marker = "plain-marker-value") => ({
  version: 4, terraform_version: "1.11.4", serial, lineage, outputs: { marker: { value: marker, type: "string" } },
  resources: [], check_results: null,
});

describe.each(dialects)("state import (%s)", (dialect) => {
  let t: TestServer;
  let writer: GantryClient;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    const w = await userWithRole(t, "writer", [{ spaceId: "root", role: "write" }]);
    writer = new GantryClient({ baseUrl: t.url, token: w.key });
    await t.admin.call("createStack", { body: { id: "moved", name: "moved", repository: "/srv/infra.git", manageState: true } });
    await t.admin.call("createStack", { body: { id: "unmanaged", name: "unmanaged", repository: "/srv/infra.git", manageState: false } });
  });
  afterAll(() => t?.stop());

  it("keeps lineage and serial, audits the import without the state, stores it encrypted", async () => {
    const v = await writer.call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-a", 7) } });
    expect(v).toMatchObject({ stackId: "moved", serial: 7, lineage: "lineage-a", runId: null });
    const back = await t.admin.call("getStateVersion", { params: { id: "moved", versionId: v.id } });
    expect(back.state).toMatchObject({ serial: 7, lineage: "lineage-a", outputs: { marker: { value: "plain-marker-value" } } });
    // The backend terraform reads serves the same document.
    const res = await fetch(`${t.url}/state/moved`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(await res.json()).toMatchObject({ serial: 7, lineage: "lineage-a" });
    const audit = await t.admin.call("listAuditEvents", { query: { action: "stack.state.import", targetId: "moved" } });
    expect(audit.items[0]).toMatchObject({ action: "stack.state.import", payload: { serial: 7, lineage: "lineage-a", forced: false, replacedLineage: null } });
    expect(JSON.stringify(audit)).not.toContain("plain-marker-value");
    expect(await dumpTable(t, "blobs")).not.toContain("plain-marker-value");
  });

  it("accepts a newer serial of the same lineage, refuses an older one unless forced", async () => {
    expect((await writer.call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-a", 9) } })).serial).toBe(9);
    const older = await failure(writer.call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-a", 8) } }));
    expect(older.status).toBe(409);
    expect(older.message).toContain("serial 8 is not newer than the stack's current serial 9");
    // Forced, it becomes current with a serial past the current one (terraform refuses a serial going back).
    expect((await t.admin.call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-a", 8), force: true } })).serial).toBe(10);
  });

  it("refuses another lineage unless an admin forces it", async () => {
    const other = await failure(writer.call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-b", 1) } }));
    expect(other.status).toBe(409);
    expect(other.message).toContain("already has state of lineage lineage-a");
    expect(other.message).toContain("--force (admin)");
    const notAdmin = await failure(writer.call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-b", 1), force: true } }));
    expect(notAdmin.status).toBe(403);
    const forced = await t.admin.call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-b", 1), force: true } });
    expect(forced).toMatchObject({ lineage: "lineage-b", serial: 1 });
    const audit = await t.admin.call("listAuditEvents", { query: { action: "stack.state.import", targetId: "moved" } });
    expect(audit.items[0]!.payload).toMatchObject({ forced: true, replacedLineage: "lineage-a" });
  });

  it("refuses what is not a managed terraform state, saying why", async () => {
    const unmanaged = await failure(t.admin.call("importState", { params: { id: "unmanaged" }, body: { state: stateDoc("x", 1) } }));
    expect(unmanaged.status).toBe(409);
    expect(unmanaged.message).toContain("does not manage its state");
    const old = await failure(t.admin.call("importState", { params: { id: "moved" }, body: { state: { ...stateDoc("x", 1), version: 3 }, force: true } }));
    expect(old.status).toBe(422);
    expect(old.details).toMatchObject({ issues: [{ path: ["state", "version"] }] });
    const noLineage = await failure(t.admin.call("importState", { params: { id: "moved" }, body: { state: { version: 4, serial: 1 } as never } }));
    expect(noLineage.status).toBe(422);
    const reader = await userWithRole(t, "reader", [{ spaceId: "root", role: "read" }]);
    const denied = await failure(new GantryClient({ baseUrl: t.url, token: reader.key }).call("importState", { params: { id: "moved" }, body: { state: stateDoc("lineage-b", 50) } }));
    expect(denied.status).toBe(403);
  });
});
