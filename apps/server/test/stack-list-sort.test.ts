/**
 * The stacks list sorted on the server (name, state, space, last run, last update), paged by
 * cursor through the API on both dialects: every page in order, no stack twice or missing, the
 * newest run of each stack, only readable stacks, and refusals naming the parameter.
 */
import type { GantryClient, StackListItem, StackSort } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo } from "../../worker/test/fixtures.js";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";

/** Every page of the sorted list, `limit` at a time. */
async function everyPage(c: GantryClient, sort: StackSort, limit = 2): Promise<StackListItem[]> {
  const all: StackListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.call("listStacks", { query: { limit, sort, cursor } });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe.each(dialects)("stacks list sorting (%s)", (dialect) => {
  let t: TestServer;
  // id -> [name, space]; names sort differently from ids, and two stacks share a name.
  const stacks: Record<string, [string, string]> = {
    s1: ["delta", "zeta"], s2: ["alpha", "eta"], s3: ["charlie", "zeta"], s4: ["bravo", "eta"], s5: ["alpha", "theta"], s6: ["echo", "theta"],
  };
  /** Stacks with runs, oldest run first: s3's run is the newest. */
  const runOrder = ["s5", "s1", "s3"];

  beforeAll(async () => {
    t = await startTestServer(dialect);
    const repo = makeRepo();
    for (const space of ["zeta", "eta", "theta"]) await t.admin.call("createSpace", { body: { id: space, name: space } });
    for (const [id, [name, spaceId]] of Object.entries(stacks)) await t.admin.call("createStack", { body: { id, name, spaceId, repository: repo.path } });
    for (const id of runOrder) await t.admin.call("createRun", { params: { id }, body: { type: "PROPOSED" } });
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  it("orders by name across pages, ties by id, and reverses with a leading '-'", async () => {
    expect((await everyPage(t.admin, "name")).map((s) => s.id)).toEqual(["s2", "s5", "s4", "s3", "s1", "s6"]);
    expect((await everyPage(t.admin, "-name")).map((s) => s.id)).toEqual(["s6", "s1", "s3", "s4", "s5", "s2"]);
  });

  it("orders by space and by last update", async () => {
    expect((await everyPage(t.admin, "space", 4)).map((s) => `${s.spaceId}/${s.id}`)).toEqual(["eta/s2", "eta/s4", "theta/s5", "theta/s6", "zeta/s1", "zeta/s3"]);
    await t.admin.call("updateStack", { params: { id: "s4" }, body: { description: "touched last" } });
    const updated = await everyPage(t.admin, "-updated", 5);
    expect(updated[0]!.id).toBe("s4");
    expect(updated.map((s) => s.updatedAt)).toEqual([...updated.map((s) => s.updatedAt)].sort().reverse());
  });

  it("orders by each stack's newest run, stacks without runs first, and lists that run", async () => {
    const byRun = await everyPage(t.admin, "lastRun");
    expect(byRun.slice(3).map((s) => s.id)).toEqual(runOrder);
    expect(byRun.slice(0, 3).map((s) => s.id).sort()).toEqual(["s2", "s4", "s6"]);
    expect(byRun.slice(0, 3).every((s) => s.lastRun === null)).toBe(true);
    const newest = (await everyPage(t.admin, "-lastRun")).slice(0, 3);
    expect(newest.map((s) => s.id)).toEqual([...runOrder].reverse());
    const runs = await t.admin.call("listStackRuns", { params: { id: "s3" }, query: { limit: 1 } });
    expect(newest[0]!.lastRun).toMatchObject({ id: runs.items[0]!.id, type: "PROPOSED", createdAt: runs.items[0]!.createdAt });
  });

  it("orders by state", async () => {
    await t.admin.call("lockStack", { params: { id: "s6" }, body: {} });
    const states = (await everyPage(t.admin, "state", 3)).map((s) => s.state);
    expect(states).toEqual([...states].sort());
  });

  it("shows a reader only the stacks of their spaces, sorted", async () => {
    const reader = await userWithRole(t, "theta-reader", [{ spaceId: "theta", role: "read" }]);
    expect((await everyPage(t.client(reader.key), "-name", 1)).map((s) => s.id)).toEqual(["s6", "s5"]);
  });

  it("refuses an unknown sort key with a 400 naming the parameter", async () => {
    const err = await failure(t.admin.call("listStacks", { query: { sort: "color" as StackSort } }));
    expect(err.status).toBe(400);
    expect(err.message).toContain("sort: must be one of name, state, space, lastRun or updated");
    expect((err.details as { issues: { path: string[] }[] }).issues[0]!.path).toEqual(["sort"]);
  });

  it("refuses the cursor of a stack deleted between pages, saying to start again", async () => {
    await t.admin.call("createStack", { body: { id: "gone", name: "aaa", spaceId: "eta", repository: "https://example.com/x.git" } });
    const first = await t.admin.call("listStacks", { query: { limit: 1, sort: "name" } });
    expect(first.nextCursor).toBe("gone");
    await t.admin.call("deleteStack", { params: { id: "gone" } });
    const err = await failure(t.admin.call("listStacks", { query: { limit: 1, sort: "name", cursor: first.nextCursor! } }));
    expect(err.status).toBe(400);
    expect(err.message).toContain("start again from the first page");
  });
});
