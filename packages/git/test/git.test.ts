/**
 * The mirror against real repositories: fetch and resolve, export a commit, changed files of
 * pushes (plain, merge commit, new branch, force-push) and ls-remote.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedFiles, changedFilesOfPush, commitInfo, filesOfCommit, GitError, lsRemoteHeads, resolveRef, updateMirror } from "../src/index.js";
import { commitFiles, sh } from "./scratch.js";

describe("@gantry/git against real repositories", () => {
  let dir: string;
  let bare: string;
  let work: string;
  let cache: string;
  const shas: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gantry-git-"));
    bare = join(dir, "infra.git");
    work = join(dir, "work");
    cache = join(dir, "cache");
    sh(dir, "init", "-q", "--bare", "-b", "main", bare);
    sh(dir, "clone", "-q", bare, work);
    shas.push(commitFiles(work, { "projects/app/dev/main.tf": "# dev", "projects/app/prod/main.tf": "# prod", "modules/net/main.tf": "#" }, "initial"));
    shas.push(commitFiles(work, { "projects/app/dev/main.tf": "# dev 2" }, "change dev"));
    sh(work, "push", "-q", "origin", "main");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("mirrors, resolves and reads commits; concurrent updates of one mirror do not collide", async () => {
    const mirrors = await Promise.all([updateMirror(cache, bare), updateMirror(cache, bare), updateMirror(cache, bare)]);
    expect(new Set(mirrors).size).toBe(1);
    const mirror = mirrors[0]!;
    expect(await resolveRef(mirror, "refs/heads/main")).toBe(shas[1]);
    expect(await resolveRef(mirror, "refs/heads/nope")).toBeNull();
    expect(await commitInfo(mirror, shas[1]!)).toEqual({ author: "dev", message: "change dev" });
  });

  it("lists changed files of plain pushes, root commits and merge commits (first parent)", async () => {
    sh(work, "checkout", "-q", "-b", "feature");
    const f1 = commitFiles(work, { "projects/app/prod/main.tf": "# prod 2" }, "prod on feature");
    sh(work, "checkout", "-q", "main");
    const m1 = commitFiles(work, { "README.md": "hi" }, "readme on main");
    sh(work, "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
    const merge = sh(work, "rev-parse", "HEAD");
    sh(work, "push", "-q", "origin", "main", "feature");
    const mirror = await updateMirror(cache, bare);
    expect(await changedFiles(mirror, shas[0]!, shas[1]!)).toEqual(["projects/app/dev/main.tf"]);
    expect((await filesOfCommit(mirror, shas[0]!)).sort()).toEqual(["modules/net/main.tf", "projects/app/dev/main.tf", "projects/app/prod/main.tf"]);
    // The merge brought the feature's change into main; the readme was already there.
    expect(await filesOfCommit(mirror, merge)).toEqual(["projects/app/prod/main.tf"]);
    expect(await changedFilesOfPush(mirror, { before: m1, after: merge })).toEqual(["projects/app/prod/main.tf"]);
    // A new branch: what it brings compared with main's history, not main's later changes.
    expect(await changedFilesOfPush(mirror, { before: null, after: f1, baseBranch: "main" })).toEqual(["projects/app/prod/main.tf"]);
  });

  it("diffs a force-push against the rewritten-away head while the mirror still has it, and from the base otherwise", async () => {
    sh(work, "checkout", "-q", "-b", "rewrite", shas[1]!);
    const old = commitFiles(work, { "projects/app/dev/a.tf": "#" }, "first try");
    sh(work, "push", "-q", "origin", "rewrite");
    const mirror = await updateMirror(cache, bare);
    sh(work, "reset", "-q", "--hard", shas[1]!);
    const now = commitFiles(work, { "modules/net/b.tf": "#" }, "second try");
    sh(work, "push", "-q", "-f", "origin", "rewrite");
    await updateMirror(cache, bare);
    expect((await changedFilesOfPush(mirror, { before: old, after: now })).sort()).toEqual(["modules/net/b.tf", "projects/app/dev/a.tf"]);
    const unknown = "1".repeat(40);
    expect(await changedFilesOfPush(mirror, { before: unknown, after: now, baseBranch: "main" })).toEqual(["modules/net/b.tf"]);
  });

  it("fetches pull-request heads, where GitHub keeps the commits of pull requests from forks", async () => {
    sh(work, "checkout", "-q", "-b", "fork", shas[1]!);
    const forked = commitFiles(work, { "projects/app/dev/fork.tf": "#" }, "from a fork");
    sh(work, "push", "-q", "origin", "HEAD:refs/pull/7/head");
    const mirror = await updateMirror(cache, bare);
    expect(await resolveRef(mirror, "refs/pull/7/head")).toBe(forked);
    expect(await resolveRef(mirror, forked)).toBe(forked);
  });

  it("reads branch heads with ls-remote and names the repository it cannot read", async () => {
    const heads = await lsRemoteHeads(bare);
    expect(heads.get("main")).toBe(sh(work, "rev-parse", "main"));
    expect([...heads.keys()].sort()).toEqual(["feature", "main", "rewrite"]);
    const missing = join(dir, "nope.git");
    await expect(lsRemoteHeads(missing)).rejects.toThrow(GitError);
    await expect(updateMirror(cache, missing)).rejects.toThrow(/cloning repository .*nope\.git failed/);
  });
});
