/**
 * VCS events into runs without a worker, on both dialects: webhook verification and bad input,
 * Spacelift's default push behaviour, dedupe, superseding, closing and deleting, push policies
 * with their receipts, the notify endpoint's access, and write-only integration secrets.
 */
import { GantryApiError } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, startTestServer, userWithRole, type TestServer } from "../harness.js";
import { deliverWebhook, makeBareRepo, pullRequestPayload, pushPayload, stackConfig, ZERO, type BareRepo } from "./fixtures.js";

const pushPolicy = `package spacelift
import rego.v1
track if {
  input.push.branch == input.stack.branch
  some f in input.push.affected_files
  startswith(f, input.stack.project_root)
}
propose if {
  input.push.branch != input.stack.branch
  some f in input.push.affected_files
  startswith(f, input.stack.project_root)
}
ignore if contains(input.push.message, "[skip ci]")
notrigger if contains(input.push.message, "[no run]")
cancel contains run.id if {
  some run in input.in_progress
  run.type == "PROPOSED"
  run.state == "READY"
}
lock contains "release-train" if contains(input.push.message, "[lock]")
prioritize if contains(input.push.message, "[urgent]")
message contains sprintf("push by %s", [input.push.author])`;

describe.each(dialects)("vcs ingestion (%s)", (dialect) => {
  let t: TestServer;
  let repo: BareRepo;
  const secret = "s3cret";
  const hook = (event: string, payload: unknown, s: string | null = secret, raw?: string) => deliverWebhook(t.url, "gh", event, payload, s, raw);
  const runs = async (stackId: string) => (await t.admin.call("listStackRuns", { params: { id: stackId }, query: {} })).items;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    repo = makeBareRepo({ "projects/app/dev/main.tf": stackConfig("dev 1"), "projects/app/prod/main.tf": stackConfig("prod 1"), "modules/net/main.tf": "# net\n" });
    await t.admin.call("createVcsIntegration", { body: { id: "gh", name: "github", provider: "GITHUB", token: "ghs_secret_token", webhookSecret: secret } });
    const common = { repository: repo.bare, branch: "main", vcsIntegrationId: "gh" };
    await t.admin.call("createStack", { body: { id: "dev", name: "dev", projectRoot: "projects/app/dev", ...common } });
    await t.admin.call("createStack", { body: { id: "prod", name: "prod", projectRoot: "projects/app/prod", additionalProjectGlobs: ["modules/**"], ...common } });
  });
  afterAll(async () => {
    await t?.stop();
    repo?.remove();
  });

  it("refuses unsigned, wrongly signed, malformed and misaddressed deliveries, and creates nothing", async () => {
    const sha = repo.head("main");
    const payload = pushPayload("refs/heads/main", ZERO, sha);
    expect((await hook("push", payload, null)).status).toBe(401);
    expect((await hook("push", payload, "wrong")).status).toBe(401);
    const malformedJson = await hook("push", null, secret, "{not json");
    expect(malformedJson.status).toBe(400);
    expect(malformedJson.json.note).toContain("not valid JSON");
    const wrongShape = await hook("push", { ref: 5, repository: {} });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.json.note).toMatch(/malformed push payload: ref/);
    expect((await deliverWebhook(t.url, "nope", "push", payload, secret)).status).toBe(404);
    const ping = await hook("ping", { zen: "hi" });
    expect([ping.status, ping.json.note]).toEqual([202, expect.stringContaining("ignored")]);
    const tag = await hook("push", pushPayload("refs/tags/v1", ZERO, sha));
    expect(tag.json.stacks!.map((s) => s.decision)).toEqual(["ignore", "ignore"]);
    const unknownRepo = await hook("push", { ...payload, repository: { full_name: "acme/other", clone_url: "x" } });
    expect([unknownRepo.status, unknownRepo.json.stacks]).toEqual([202, []]);
    expect([...(await runs("dev")), ...(await runs("prod"))]).toEqual([]);
  });

  it("tracks pushes to the stack's branch and proposes elsewhere, by the real diff; dedupes; newer commits supersede", async () => {
    repo.git("checkout", "-q", "main");
    const m0 = repo.head();
    const m1 = repo.commit({ "modules/net/main.tf": "# net 2\n" }, "net");
    repo.git("push", "-q", "origin", "main");
    const tracked = await hook("push", pushPayload("refs/heads/main", m0, m1, "net"));
    expect(tracked.json.stacks!.map((s) => [s.stackId, s.decision])).toEqual([["dev", "ignore"], ["prod", "track"]]);
    // The same delivery again (GitHub retries) creates nothing new.
    const again = await hook("push", pushPayload("refs/heads/main", m0, m1, "net"));
    expect(again.json.stacks![1]).toMatchObject({ decision: "skip", runId: tracked.json.stacks![1]!.runId });
    const run = (await runs("prod"))[0]!;
    expect(run).toMatchObject({ type: "TRACKED", commit: { sha: m1, branch: "main", message: "net", author: "ada" }, triggeredBy: "vcs:github" });

    // A branch no stack tracks: only proposals, never a tracked run; a newer commit supersedes the older proposal.
    repo.git("checkout", "-q", "-b", "hotfix");
    const h1 = repo.commit({ "projects/app/dev/main.tf": stackConfig("dev hot") }, "hot 1");
    repo.git("push", "-q", "origin", "hotfix");
    const p1 = await hook("push", pushPayload("refs/heads/hotfix", ZERO, h1, "hot 1"));
    expect(p1.json.stacks!.map((s) => s.decision)).toEqual(["propose", "ignore"]);
    const h2 = repo.commit({ "projects/app/dev/x.tf": "# x\n" }, "hot 2");
    repo.git("push", "-q", "origin", "hotfix");
    const p2 = await hook("push", pushPayload("refs/heads/hotfix", h1, h2, "hot 2"));
    expect(p2.json.stacks![0]!.reason).toContain(`superseded ${p1.json.stacks![0]!.runId}`);
    const devRuns = await runs("dev");
    expect(devRuns.map((r) => [r.type, r.state, r.commit.branch])).toEqual([["PROPOSED", "READY", "hotfix"], ["PROPOSED", "CANCELED", "hotfix"]]);

    // Its pull request: the same commit is not run twice; closing it cancels its queued proposals.
    const opened = await hook("pull_request", pullRequestPayload("opened", 9, { ref: "hotfix", sha: h2 }, { ref: "main", sha: m1 }));
    expect(opened.json.stacks![0]).toMatchObject({ decision: "skip", runId: p2.json.stacks![0]!.runId });
    expect((await t.admin.call("getRun", { params: { id: p2.json.stacks![0]!.runId! } })).pullRequest).toBe(9);
    const closed = await hook("pull_request", pullRequestPayload("closed", 9, { ref: "hotfix", sha: h2 }, { ref: "main", sha: m1 }));
    expect(closed.json.note).toContain("canceled 1 queued proposed run");
    expect((await runs("dev"))[0]!.state).toBe("CANCELED");
  });

  it("handles force-pushes by the real diff and deleted branches without running anything", async () => {
    repo.git("checkout", "-q", "-b", "rewrite", "main");
    const old = repo.commit({ "projects/app/dev/old.tf": "# old\n" }, "old");
    repo.git("push", "-q", "origin", "rewrite");
    await hook("push", pushPayload("refs/heads/rewrite", ZERO, old, "old"));
    repo.git("reset", "-q", "--hard", "main");
    const rewritten = repo.commit({ "README.md": "docs only\n" }, "rewritten");
    repo.git("push", "-q", "-f", "origin", "rewrite");
    const devBefore = (await runs("dev")).length;
    // The diff old..rewritten removes a dev file: dev is affected (a proposal), prod is not.
    const forced = await hook("push", pushPayload("refs/heads/rewrite", old, rewritten, "rewritten", { forced: true }));
    expect(forced.json.stacks!.map((s) => s.decision)).toEqual(["propose", "ignore"]);
    expect((await runs("dev")).length).toBe(devBefore + 1);
    repo.git("push", "-q", "origin", "--delete", "rewrite");
    const deleted = await hook("push", pushPayload("refs/heads/rewrite", rewritten, ZERO));
    expect(deleted.status).toBe(200);
    // The first proposal was already superseded by the rewritten commit's: one is left to cancel.
    expect(deleted.json.note).toContain("deleted: canceled 1 queued proposed run(s)");
    expect((await runs("dev")).filter((r) => r.commit.branch === "rewrite").map((r) => r.state)).toEqual(["CANCELED", "CANCELED"]);
    expect((await runs("dev")).length).toBe(devBefore + 1);
    // A commit the repository does not have is an error for that stack, not a run.
    const ghost = await hook("push", pushPayload("refs/heads/main", ZERO, "f".repeat(40)));
    expect(ghost.json.stacks!.map((s) => s.decision)).toEqual(["error", "error"]);
  });

  it("follows push policies: track, propose, ignore wins, notrigger, cancel, lock, message, with receipts", async () => {
    await t.admin.call("createPolicy", { body: { id: "push", name: "push", type: "GIT_PUSH", body: pushPolicy } });
    await t.admin.call("attachPolicy", { params: { id: "dev", entityId: "push" } });
    repo.git("checkout", "-q", "main");
    const base = repo.head();
    const skip = repo.commit({ "projects/app/dev/a.tf": "# a\n" }, "tweak [skip ci]");
    repo.git("push", "-q", "origin", "main");
    const ignored = await hook("push", pushPayload("refs/heads/main", base, skip, "tweak [skip ci]"));
    expect(ignored.json.stacks![0]).toMatchObject({ stackId: "dev", decision: "ignore", reason: expect.stringContaining("ignore") });
    const quiet = repo.commit({ "projects/app/dev/b.tf": "# b\n" }, "tweak [no run]");
    repo.git("push", "-q", "origin", "main");
    expect((await hook("push", pushPayload("refs/heads/main", skip, quiet, "tweak [no run]"))).json.stacks![0]!.decision).toBe("skip");

    const readyProposal = (await runs("dev")).find((r) => r.state === "READY");
    const go = repo.commit({ "projects/app/dev/c.tf": "# c\n" }, "go [lock] [urgent]");
    repo.git("push", "-q", "origin", "main");
    const tracked = await hook("push", pushPayload("refs/heads/main", quiet, go, "go [lock] [urgent]"));
    expect(tracked.json.stacks![0]).toMatchObject({ decision: "track" });
    const detail = await t.admin.call("getRun", { params: { id: tracked.json.stacks![0]!.runId! } });
    expect(detail.type).toBe("TRACKED");
    expect(detail.prioritized).toBe(true);
    if (readyProposal) expect(readyProposal.prioritized).toBe(false);
    expect(detail.history.find((h) => h.from === null)!.note).toBe("push by ada");
    expect(detail.policyReceipts).toEqual([expect.objectContaining({ type: "GIT_PUSH", policyId: "push", outcome: "track", messages: expect.objectContaining({ track: ["track"], lock: ["release-train"], prioritize: ["prioritize"] }) })]);
    expect((await t.admin.call("getStack", { params: { id: "dev" } })).lockedBy).toBe("release-train");
    if (readyProposal) expect((await t.admin.call("getRun", { params: { id: readyProposal.id } })).state).toBe("CANCELED");
    // The locked stack takes no VCS run until unlocked; the refusal is reported, not thrown.
    const next = repo.commit({ "projects/app/dev/d.tf": "# d\n" }, "after lock");
    repo.git("push", "-q", "origin", "main");
    const refused = await hook("push", pushPayload("refs/heads/main", go, next, "after lock"));
    expect(refused.json.stacks![0]).toMatchObject({ decision: "skip", reason: expect.stringContaining("locked by release-train") });
  });

  it("takes hook notifications from writers of a stack using the repository only", async () => {
    const reader = await userWithRole(t, "vcs-reader", [{ spaceId: "root", role: "read" }]);
    const sha = repo.head("main");
    const body = { repository: repo.bare, ref: "refs/heads/main", before: sha, after: sha };
    const err = await t.client(reader.key).call("notifyVcs", { body }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GantryApiError);
    expect((err as GantryApiError).status).toBe(403);
    const unknown = await t.admin.call("notifyVcs", { body: { ...body, repository: "/nowhere.git" } }).catch((e: unknown) => e);
    expect((unknown as GantryApiError).status).toBe(404);
    const bad = await t.raw("POST", "/api/v1/vcs/notify", { token: t.adminKey, body: JSON.stringify({ ...body, after: "xyz" }) });
    expect(bad.status).toBe(422);
    const ok = await t.admin.call("notifyVcs", { body });
    expect(ok.stacks.map((s) => s.stackId)).toEqual(["dev", "prod"]);
  });

  it("keeps integration secrets write-only and encrypted at rest", async () => {
    const got = await t.admin.call("getVcsIntegration", { params: { id: "gh" } });
    expect(got).toMatchObject({ provider: "GITHUB", apiBaseUrl: "https://api.github.com", webhookPath: "/webhooks/github/gh" });
    expect(JSON.stringify(got)).not.toContain("ghs_secret_token");
    expect(got.tokenChecksum).toMatch(/^[0-9a-f]{16}$/);
    const stored = await dumpTable(t, "vcs_integrations");
    expect(stored).not.toContain("ghs_secret_token");
    expect(stored).not.toContain(secret);
    const rotated = await t.admin.call("updateVcsIntegration", { params: { id: "gh" }, body: { webhookSecret: "new-secret" } });
    expect(rotated.webhookSecretChecksum).not.toBe(got.webhookSecretChecksum);
    expect((await hook("ping", {})).status).toBe(401);
    expect((await deliverWebhook(t.url, "gh", "ping", {}, "new-secret")).status).toBe(202);
    const inUse = await t.admin.call("deleteVcsIntegration", { params: { id: "gh" } }).catch((e: unknown) => e);
    expect((inUse as GantryApiError).code).toBe("conflict");
    const raw = await t.admin.call("createVcsIntegration", { body: { name: "raw", provider: "RAW_GIT" } });
    expect((await t.admin.call("listVcsIntegrations", { query: {} })).items.map((i) => i.id)).toEqual(["gh", "raw"]);
    await t.admin.call("deleteVcsIntegration", { params: { id: raw.id } });
    const invalid = await t.admin.call("createVcsIntegration", { body: { name: "x", provider: "GITHUB" } }).catch((e: unknown) => e);
    expect((invalid as GantryApiError).message).toContain("webhook secret");
    const missing = await t.admin.call("createStack", { body: { name: "nope", repository: repo.bare, vcsIntegrationId: "missing" } }).catch((e: unknown) => e);
    expect((missing as GantryApiError).message).toContain("does not exist");
  });
});
