/**
 * A run of a given commit (`createRun` with `commitSha`) on both dialects, against a real git
 * repository: the server resolves the sha in its mirror before the run exists, records the full
 * sha with the commit's message and author, refuses an unknown sha (and, for runs that change
 * infrastructure, a commit off the tracked branch) at the `commitSha` field without creating a
 * run, and refuses a reader before looking at the repository.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { makeBareRepo, stackConfig, type BareRepo } from "./vcs/fixtures.js";

describe.each(dialects)("a run of a given commit (%s)", (dialect) => {
  let t: TestServer;
  let repo: BareRepo;
  let older: string;
  let side: string;
  let stackId: string;
  const runIds = async () => (await t.admin.call("listStackRuns", { params: { id: stackId }, query: {} })).items.map((r) => r.id);

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { vcsPollSeconds: 0 } });
    repo = makeBareRepo({ "main.tf": stackConfig("one") });
    older = repo.commit({ "main.tf": stackConfig("two") }, "the older change");
    repo.commit({ "main.tf": stackConfig("three") }, "the newest change");
    repo.git("checkout", "--quiet", "-b", "side");
    side = repo.commit({ "main.tf": stackConfig("side") }, "not merged yet");
    repo.git("push", "--quiet", "origin", "main", "side");
    stackId = (await t.admin.call("createStack", { body: { name: "pinned", repository: repo.bare } })).id;
  });
  afterAll(async () => {
    await t?.stop();
    repo?.remove();
  });

  it("runs an older commit of the tracked branch, recording its full sha, message and author", async () => {
    const run = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "TRACKED", commitSha: older } });
    expect(run.commit).toMatchObject({ sha: older, branch: "main", message: "the older change", author: "Ada" });
    expect((await t.admin.call("getRun", { params: { id: run.id } })).commit.sha).toBe(older);
  });

  it("expands an abbreviated sha to the full one", async () => {
    const run = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "PROPOSED", commitSha: older.slice(0, 10) } });
    expect(run.commit.sha).toBe(older);
  });

  it("refuses an unknown commit at the commitSha field and creates no run", async () => {
    const before = await runIds();
    const err = await failure(t.admin.call("createRun", { params: { id: stackId }, body: { type: "TRACKED", commitSha: "0123456789abcdef0123456789abcdef01234567" } }));
    expect(err.status).toBe(422);
    expect(err.details).toMatchObject({ issues: [{ path: ["commitSha"], message: expect.stringMatching(/^commit 0123456789ab\w* is not in repository .*: push it first or check the sha$/) }] });
    expect(await runIds()).toEqual(before);
  });

  it("refuses a tracked run of a commit off the tracked branch, and previews it in a proposed run", async () => {
    const before = await runIds();
    const err = await failure(t.admin.call("createRun", { params: { id: stackId }, body: { type: "TRACKED", commitSha: side } }));
    expect(err.status).toBe(422);
    expect(err.details).toMatchObject({ issues: [{ path: ["commitSha"], message: expect.stringMatching(/is not on branch main, which the stack tracks: a TRACKED run may only run the tracked branch's commits/) }] });
    expect(await runIds()).toEqual(before);
    const preview = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "PROPOSED", commitSha: side } });
    expect(preview.commit).toMatchObject({ sha: side, message: "not merged yet" });
  });

  it("refuses a reader with 403 before looking at the commit", async () => {
    const reader = t.client((await userWithRole(t, `reader-${dialect}`, [{ spaceId: "root", role: "read" }])).key);
    const err = await failure(reader.call("createRun", { params: { id: stackId }, body: { type: "TRACKED", commitSha: "0123456789abcdef0123456789abcdef01234567" } }));
    expect(err.status).toBe(403);
  });
});
