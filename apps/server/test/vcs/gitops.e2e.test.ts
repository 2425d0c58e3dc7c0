/**
 * The GitOps acceptance flow with real git, the real terraform, the real worker and a simulated
 * GitHub: a feature branch proposes only the stacks it affects, GitHub gets a pending then a
 * final status per stack and one pull-request comment that is edited on each push, the merge
 * tracks the affected stacks, prod (approval policy) waits for an approval before applying, and
 * a push touching nothing relevant runs nothing.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunDetail, RunState } from "@gantry/contract";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GithubSimulator } from "../github-simulator.js";
import { dialects, startTestServer, type TestServer } from "../harness.js";
import { deliverWebhook, makeBareRepo, pullRequestPayload, pushPayload, stackConfig, ZERO, type BareRepo } from "./fixtures.js";

const planPolicy = `package spacelift
import rego.v1
deny contains sprintf("do not delete %s", [rc.address]) if {
  some rc in input.terraform.resource_changes
  "delete" in rc.change.actions
}
warn contains sprintf("%d resource change(s) in production", [count(input.terraform.resource_changes)]) if {
  "prod" in input.spacelift.stack.labels
  count(input.terraform.resource_changes) > 0
}`;

const approvalPolicy = `package spacelift
import rego.v1
approve if input.run.state == "QUEUED"
approve if count(input.reviews.current.approvals) >= 1
reject if count(input.reviews.current.rejections) > 0`;

const terminal: RunState[] = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];

describe.each(dialects)("gitops end to end (%s)", (dialect) => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: BareRepo;
  const github = new GithubSimulator({ token: "ghs_e2e", repos: ["acme/infra"], prefix: "/api/v3" });
  const secret = "webhook-s3cret";

  const runs = async (stackId: string) => (await t.admin.call("listStackRuns", { params: { id: stackId }, query: {} })).items;
  async function waitFor(id: string, states: RunState[] = terminal, timeoutMs = 90_000): Promise<RunDetail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await t.admin.call("getRun", { params: { id } });
      if (states.includes(run.state)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.state}: ${JSON.stringify(run.history)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  /** Retries assertions until they hold: feedback reaches GitHub shortly after the run's state is stored. */
  async function eventually(check: () => void, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await t.server.vcsForTests!.feedbackIdle();
      try {
        check();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  const hook = (event: string, payload: unknown) => deliverWebhook(t.url, "github", event, payload, secret);
  const statusesOf = (sha: string, stackId: string) => github.statuses.filter((s) => s.sha === sha && s.context === `gantry/${stackId}`).map((s) => s.state);

  beforeAll(async () => {
    await github.start();
    t = await startTestServer(dialect, { settings: { outboundAllow: "127.0.0.0/8" } }); // the GitHub stand-in listens on loopback
    repo = makeBareRepo({ "projects/app/dev/main.tf": stackConfig("dev 1"), "projects/app/prod/main.tf": stackConfig("prod 1"), "README.md": "# infra\n" });
    await t.admin.call("createVcsIntegration", { body: { id: "github", name: "GitHub Enterprise", provider: "GITHUB", apiBaseUrl: github.url, token: "ghs_e2e", webhookSecret: secret } });
    await t.admin.call("createPolicy", { body: { id: "plan-guard", name: "plan guard", type: "PLAN", body: planPolicy, labels: ["autoattach:app"] } });
    await t.admin.call("createPolicy", { body: { id: "prod-approval", name: "prod approval", type: "APPROVAL", body: approvalPolicy, labels: ["autoattach:prod"] } });
    const common = { repository: repo.bare, branch: "main", manageState: false, autodeploy: true, vcsIntegrationId: "github" };
    await t.admin.call("createStack", { body: { id: "app-dev", name: "app dev", projectRoot: "projects/app/dev", labels: ["app"], ...common } });
    await t.admin.call("createStack", { body: { id: "app-prod", name: "app prod", projectRoot: "projects/app/prod", labels: ["app", "prod"], ...common } });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: mkdtempSync(join(tmpdir(), "gantry-gitops-worker-")), claimWaitMs: 5000 });
    await worker.ready;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    await github.stop();
    repo?.remove();
  });

  it("proposes on a feature branch, reports to the pull request, tracks on merge, waits for prod's approval and ignores unrelated pushes", async () => {
    const main0 = repo.head("main");
    // 1. A feature branch touching dev only, then its pull request: one proposed run, for dev.
    repo.git("checkout", "-q", "-b", "feature");
    const f1 = repo.commit({ "projects/app/dev/main.tf": stackConfig("dev 2") }, "dev greeting");
    repo.git("push", "-q", "origin", "feature");
    const pushed = await hook("push", pushPayload("refs/heads/feature", ZERO, f1, "dev greeting"));
    expect(pushed.status).toBe(200);
    expect(pushed.json.stacks!.map((s) => [s.stackId, s.decision])).toEqual([["app-dev", "propose"], ["app-prod", "ignore"]]);
    const opened = await hook("pull_request", pullRequestPayload("opened", 1, { ref: "feature", sha: f1 }, { ref: "main", sha: main0 }));
    expect(opened.json.stacks!.find((s) => s.stackId === "app-dev")).toMatchObject({ decision: "skip", runId: pushed.json.stacks![0]!.runId });
    const devProposed = await waitFor(pushed.json.stacks![0]!.runId!);
    expect(devProposed).toMatchObject({ type: "PROPOSED", state: "FINISHED", commit: { sha: f1, branch: "feature", message: "dev greeting", author: "Ada" }, delta: { added: 1, changed: 0, deleted: 0 } });
    expect(await runs("app-prod")).toEqual([]);
    await eventually(() => {
      expect(statusesOf(f1, "app-dev")[0]).toBe("pending");
      expect(statusesOf(f1, "app-dev").at(-1)).toBe("success");
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0]!.body).toContain("`app-dev`");
      expect(github.comments[0]!.body).toContain("+1 ~0 -0");
    });
    expect(statusesOf(f1, "app-prod")).toEqual([]);
    expect(github.comments[0]!.body).not.toContain("app-prod");

    // 2. A second push to the branch touches prod too: both propose; the comment is edited, not duplicated.
    const f2 = repo.commit({ "projects/app/prod/main.tf": stackConfig("prod 2") }, "prod greeting");
    repo.git("push", "-q", "origin", "feature");
    await hook("push", pushPayload("refs/heads/feature", f1, f2, "prod greeting"));
    const sync = await hook("pull_request", pullRequestPayload("synchronize", 1, { ref: "feature", sha: f2 }, { ref: "main", sha: main0 }));
    // The pull request's diff (from the merge base) now covers both stacks.
    expect(sync.json.stacks!.map((s) => s.stackId).sort()).toEqual(["app-dev", "app-prod"]);
    const proposedNow = await Promise.all(["app-dev", "app-prod"].map(async (id) => (await runs(id)).find((r) => r.commit.sha === f2 && r.type === "PROPOSED")!));
    expect(proposedNow.every(Boolean)).toBe(true);
    const prodProposed = await waitFor(proposedNow[1]!.id);
    expect(prodProposed.state).toBe("FINISHED");
    await waitFor(proposedNow[0]!.id);
    await eventually(() => {
      expect(github.comments[0]!.body).toContain("`app-prod`");
      expect(github.comments[0]!.body).toContain(f2.slice(0, 8));
      expect(github.comments[0]!.body).toContain("resource change(s) in production");
      expect(statusesOf(f2, "app-prod")[0]).toBe("pending");
      expect(statusesOf(f2, "app-prod").at(-1)).toBe("success");
    });
    expect(github.comments).toHaveLength(1);

    // 3. Merge: the merge commit's first-parent diff tracks both stacks; dev applies, prod waits for approval.
    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature");
    const merge = repo.head();
    repo.git("push", "-q", "origin", "main");
    const merged = await hook("push", pushPayload("refs/heads/main", main0, merge, "merge feature"));
    expect(merged.json.stacks!.map((s) => [s.stackId, s.decision])).toEqual([["app-dev", "track"], ["app-prod", "track"]]);
    await hook("pull_request", pullRequestPayload("closed", 1, { ref: "feature", sha: f2 }, { ref: "main", sha: merge }, { merged: true }));
    const [devTracked, prodTracked] = merged.json.stacks!.map((s) => s.runId!);
    expect((await waitFor(devTracked!)).state).toBe("FINISHED");
    const waiting = await waitFor(prodTracked!, ["PENDING_REVIEW", ...terminal]);
    expect(waiting.state).toBe("PENDING_REVIEW");
    expect(waiting.history.map((h) => h.to)).not.toContain("APPLYING");
    await t.admin.call("reviewRun", { params: { id: prodTracked! }, body: { decision: "approve" } });
    const approved = await waitFor(prodTracked!, ["UNCONFIRMED", "CONFIRMED", "APPLYING", ...terminal]);
    if (approved.state === "UNCONFIRMED") await t.admin.call("confirmRun", { params: { id: prodTracked! } });
    const applied = await waitFor(prodTracked!);
    expect(applied.state).toBe("FINISHED");
    expect(applied.history.map((h) => h.to)).toContain("APPLYING");
    await eventually(() => {
      expect(statusesOf(merge, "app-prod")).toContain("pending");
      expect(statusesOf(merge, "app-prod").at(-1)).toBe("success");
    });

    // 4. A push touching nothing relevant runs nothing.
    const before = (await runs("app-dev")).length + (await runs("app-prod")).length;
    const docs = repo.commit({ "README.md": "# infra\n\nmore docs\n" }, "docs");
    repo.git("push", "-q", "origin", "main");
    const quiet = await hook("push", pushPayload("refs/heads/main", merge, docs, "docs"));
    expect(quiet.json.stacks!.map((s) => s.decision)).toEqual(["ignore", "ignore"]);
    expect((await runs("app-dev")).length + (await runs("app-prod")).length).toBe(before);
    expect(github.rejected).toEqual([]);
  }, 240_000);
});
