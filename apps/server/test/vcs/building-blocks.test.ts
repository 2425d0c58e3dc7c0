/**
 * The VCS building blocks, against real git repositories and a local GitHub stand-in:
 * webhook signatures, event parsing, affected-stack detection from real diffs, and the GitHub
 * client's statuses and single updated comment.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changedFiles, commitInfo, filesOfCommit, resolveRef, updateMirror } from "@gantry/git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affectsStack } from "../../src/vcs/affected.js";
import { GithubClient } from "../../src/vcs/github/client.js";
import { parseGithubEvent } from "../../src/vcs/github/events.js";
import { githubSignature, verifyGithubSignature } from "../../src/vcs/github/signature.js";
import { commitFiles, sh } from "../../../../packages/git/test/scratch.js";
import { GithubSimulator } from "../github-simulator.js";

describe("webhook signatures", () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');
  it("accepts GitHub's HMAC and refuses anything else", () => {
    expect(verifyGithubSignature("s3cret", body, githubSignature("s3cret", body))).toBe(true);
    expect(verifyGithubSignature("other", body, githubSignature("s3cret", body))).toBe(false);
    expect(verifyGithubSignature("s3cret", Buffer.from(body.toString() + " "), githubSignature("s3cret", body))).toBe(false);
    expect(verifyGithubSignature("s3cret", body, undefined)).toBe(false);
    expect(verifyGithubSignature("s3cret", body, "sha1=abc")).toBe(false);
    expect(verifyGithubSignature("s3cret", body, "sha256=zz")).toBe(false);
  });
});

describe("GitHub event parsing", () => {
  const repository = { full_name: "acme/infra", clone_url: "https://github.com/acme/infra.git" };
  it("normalizes pushes: branches, tags, created and deleted refs", () => {
    const sha = "a".repeat(40);
    expect(parseGithubEvent("push", { ref: "refs/heads/main", before: "0".repeat(40), after: sha, repository, head_commit: { id: sha, message: "add vpc", author: { username: "ana" } } }))
      .toMatchObject({ kind: "push", branch: "main", tag: null, before: null, after: sha, message: "add vpc", author: "ana" });
    expect(parseGithubEvent("push", { ref: "refs/tags/v1", before: "0".repeat(40), after: sha, repository })).toMatchObject({ branch: null, tag: "v1" });
    expect(parseGithubEvent("push", { ref: "refs/heads/gone", before: sha, after: "0".repeat(40), deleted: true, repository })).toMatchObject({ branch: "gone", after: null });
  });
  it("normalizes pull requests and ignores other events", () => {
    const pr = { number: 7, title: "t", merged: true, labels: [{ name: "infra" }], head: { ref: "feat", sha: "b".repeat(40) }, base: { ref: "main", sha: "c".repeat(40) }, user: { login: "ana" } };
    expect(parseGithubEvent("pull_request", { action: "closed", number: 7, pull_request: pr, repository }))
      .toMatchObject({ kind: "pull_request", action: "closed", merged: true, labels: ["infra"], headBranch: "feat", baseBranch: "main" });
    expect(parseGithubEvent("ping", { zen: "x" })).toBeNull();
    expect(() => parseGithubEvent("push", { ref: 5 })).toThrow();
  });
});

describe("affected stacks from real diffs", () => {
  let dir: string;
  let mirror: string;
  const shas: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gantry-vcs-"));
    const bare = join(dir, "infra.git");
    const work = join(dir, "work");
    sh(dir, "init", "-q", "--bare", "-b", "main", bare);
    sh(dir, "clone", "-q", bare, work);
    shas.push(commitFiles(work, { "projects/app/dev/main.tf": "# dev", "projects/app/prod/main.tf": "# prod", "modules/net/main.tf": "#" }, "initial"));
    shas.push(commitFiles(work, { "projects/app/dev/main.tf": "# dev 2" }, "change dev"));
    shas.push(commitFiles(work, { "modules/net/main.tf": "# net 2", "README.md": "docs" }, "change module"));
    sh(work, "push", "-q", "origin", "main");
    mirror = await updateMirror(join(dir, "cache"), bare);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists changed files between commits and of a first commit", async () => {
    expect(await changedFiles(mirror, shas[0]!, shas[1]!)).toEqual(["projects/app/dev/main.tf"]);
    expect((await filesOfCommit(mirror, shas[0]!)).sort()).toEqual(["modules/net/main.tf", "projects/app/dev/main.tf", "projects/app/prod/main.tf"]);
    expect(await resolveRef(mirror, "main")).toBe(shas[2]);
    expect(await resolveRef(mirror, "no-such-branch")).toBeNull();
    expect(await commitInfo(mirror, shas[1]!)).toEqual({ author: "dev", message: "change dev" });
  });

  it("decides which stacks a change affects by project root and doublestar globs", async () => {
    const dev = { projectRoot: "projects/app/dev", additionalProjectGlobs: [] };
    const prod = { projectRoot: "projects/app/prod/", additionalProjectGlobs: ["modules/**"] };
    const step1 = await changedFiles(mirror, shas[0]!, shas[1]!);
    expect([affectsStack(dev, step1), affectsStack(prod, step1)]).toEqual([true, false]);
    const step2 = await changedFiles(mirror, shas[1]!, shas[2]!);
    expect([affectsStack(dev, step2), affectsStack(prod, step2)]).toEqual([false, true]);
    expect(affectsStack({ projectRoot: "", additionalProjectGlobs: [] }, ["README.md"])).toBe(true);
    expect(affectsStack({ projectRoot: "projects/app", additionalProjectGlobs: [] }, ["projects/application/x.tf"])).toBe(false);
  });

  it("refuses a repository that does not exist, saying which", async () => {
    await expect(updateMirror(join(dir, "cache"), join(dir, "nope.git"))).rejects.toThrow(/cloning repository .*nope\.git/);
  });
});

describe("GitHub client against the local GitHub stand-in", () => {
  const github = new GithubSimulator({ token: "ghs_test", repos: ["acme/infra"], prefix: "/api/v3" });
  beforeAll(() => github.start());
  afterAll(() => github.stop());

  it("sets commit statuses with GitHub's limits and updates one comment per pull request", async () => {
    const client = new GithubClient({ apiBaseUrl: github.url, token: "ghs_test" });
    const sha = "d".repeat(40);
    await client.setStatus("acme/infra", sha, { state: "pending", context: "gantry/app-dev", description: "planning" });
    await client.setStatus("acme/infra", sha, { state: "success", context: "gantry/app-dev", description: "x".repeat(300) });
    expect(github.statuses.map((s) => s.state)).toEqual(["pending", "success"]);
    expect(github.statuses[1]!.description).toHaveLength(140);
    const first = await client.upsertComment("acme/infra", 7, "<!-- gantry -->", "plan: +1");
    const second = await client.upsertComment("acme/infra", 7, "<!-- gantry -->", "plan: +2");
    expect([first.created, second.created, second.id === first.id]).toEqual([true, false, true]);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toBe("<!-- gantry -->\nplan: +2");
    expect(github.rejected).toEqual([]);
  });

  it("surfaces GitHub's refusals", async () => {
    const wrongToken = new GithubClient({ apiBaseUrl: github.url, token: "nope" });
    await expect(wrongToken.setStatus("acme/infra", "e".repeat(40), { state: "success", context: "c", description: "" })).rejects.toThrow(/401/);
    const client = new GithubClient({ apiBaseUrl: github.url, token: "ghs_test" });
    await expect(client.setStatus("acme/other", "e".repeat(40), { state: "success", context: "c", description: "" })).rejects.toThrow(/404/);
  });
});
