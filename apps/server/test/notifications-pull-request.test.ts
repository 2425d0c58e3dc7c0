/**
 * NOTIFICATION policies' `pull_request` rule: comments on the pull requests of a run (by the run's
 * own pull request, by commit, or by number), delivered through the outbox to a GitHub stand-in,
 * edited in place with a deduplication key; a rule that cannot be acted on is an internal error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GithubSimulator } from "./github-simulator.js";
import { dialects, startTestServer, type TestServer } from "./harness.js";
import { deliverWebhook, makeBareRepo, pullRequestPayload, stackConfig, type BareRepo } from "./vcs/fixtures.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const policy = `package spacelift
import rego.v1
run := input.run_updated.run
state := input.run_updated.state
# One comment per pull request, edited at every state change.
pull_request contains {"commit": run.commit.hash, "body": sprintf("%s is %s", [input.run_updated.stack.id, state]), "deduplication_key": run.id}
# A new comment when the plan is ready, on the run's own pull request.
pull_request contains {"body": sprintf("plan of %s finished", [run.id])} if state == "FINISHED"
# A fixed pull request by number.
pull_request contains {"id": 42, "body": "tracking issue"} if state == "FINISHED"`;

describe.each(dialects)("pull request comments from NOTIFICATION policies (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let repo: BareRepo;
  const github = new GithubSimulator({ token: "ghs_notify", repos: ["acme/infra"] });
  const secret = "webhook-s3cret-for-pr";

  beforeAll(async () => {
    await github.start();
    t = await startTestServer(dialect, { settings: { notifyBackoffSeconds: 0.05, notifyMaxAttempts: 2, outboundAllow: "127.0.0.0/8" } });
    repo = makeBareRepo({ "app/main.tf": stackConfig("one") });
    await t.admin.call("createVcsIntegration", { body: { id: "gh", name: "GitHub", provider: "GITHUB", apiBaseUrl: github.url, token: "ghs_notify", webhookSecret: secret } });
    await t.admin.call("createStack", { body: { id: "app", name: "app", repository: repo.bare, branch: "main", projectRoot: "app", labels: ["app"], manageState: false, vcsIntegrationId: "gh" } });
    await t.admin.call("createPolicy", { body: { id: "pr-comments", name: "pr comments", type: "NOTIFICATION", body: policy, labels: ["autoattach:app"] } });
    w = await protocolWorker(t);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await github.stop();
    repo?.remove();
  });

  it("comments on the run's pull request, by commit with one edited comment, and by number", async () => {
    const base = repo.head();
    repo.git("checkout", "-q", "-b", "feature");
    const head = repo.commit({ "app/main.tf": stackConfig("two") }, "change app");
    repo.git("push", "-q", "origin", "feature");
    const opened = await deliverWebhook(t.url, "gh", "pull_request", pullRequestPayload("opened", 7, { ref: "feature", sha: head }, { ref: "main", sha: base }), secret);
    const runId = opened.json.stacks?.find((s) => s.stackId === "app")?.runId;
    expect(runId, JSON.stringify(opened.json)).toBeTruthy();
    const job = await w.claimRun(runId!);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    await w.plan(job, { added: 0, changed: 0, deleted: 0 });
    const run = await t.admin.call("getRun", { params: { id: runId! } });
    expect(run.state).toBe("FINISHED");
    await t.server.notificationsForTests!.drained();

    const on7 = github.comments.filter((c) => c.number === 7);
    const edited = on7.filter((c) => c.body.includes(`<!-- gantry:notification:${runId} -->`));
    expect(edited).toHaveLength(1);
    expect(edited[0]!.body).toContain("app is FINISHED");
    expect(on7.filter((c) => c.body === `plan of ${runId} finished`)).toHaveLength(1);
    expect(github.comments.filter((c) => c.number === 42).map((c) => c.body)).toEqual(["tracking issue"]);
    expect(github.rejected).toEqual([]);
  });

  it("reports a rule it cannot act on (a run outside any pull request) as an internal error, not silence", async () => {
    const before = github.comments.length;
    const run = await t.admin.call("createRun", { params: { id: "app" }, body: { type: "PROPOSED" } });
    const job = await w.claimRun(run.id);
    await w.report(job, "FAILED", { note: "set aside" });
    await t.server.notificationsForTests!.drained();
    // The deduplicated rule fired (every state) but has no pull request to go to: nothing posted.
    expect(github.comments.length).toBe(before);
    const inbox = (await t.admin.call("listNotifications", {})).items;
    const reported = inbox.filter((i) => `${i.title} ${i.body}`.includes("pr-comments"));
    expect(reported.some((i) => `${i.title} ${i.body}`.match(new RegExp(`run ${run.id} does not belong to a pull request|no pull request of acme/infra is known to contain commit`)))).toBe(true);
  });

  it("turns feedback GitHub keeps refusing (a revoked token) into an internal error about the run", async () => {
    await t.admin.call("createVcsIntegration", { body: { id: "gh-revoked", name: "GitHub (revoked)", provider: "GITHUB", apiBaseUrl: github.url, token: "ghs_revoked", webhookSecret: secret } });
    await t.admin.call("createStack", { body: { id: "app-revoked", name: "app revoked", repository: repo.bare, branch: "main", projectRoot: "app", manageState: false, vcsIntegrationId: "gh-revoked" } });
    const base = repo.head("main");
    repo.git("checkout", "-q", "-b", "feature-2", "main");
    const head = repo.commit({ "app/main.tf": stackConfig("three") }, "change app again");
    repo.git("push", "-q", "origin", "feature-2");
    const opened = await deliverWebhook(t.url, "gh-revoked", "pull_request", pullRequestPayload("opened", 8, { ref: "feature-2", sha: head }, { ref: "main", sha: base }), secret);
    const runId = opened.json.stacks?.find((s) => s.stackId === "app-revoked")?.runId;
    expect(runId, JSON.stringify(opened.json)).toBeTruthy();
    const job = await w.claimRun(runId!);
    await w.report(job, "INITIALIZING");
    await w.report(job, "PLANNING");
    const deadline = Date.now() + 30_000;
    for (;;) {
      const inbox = (await t.admin.call("listNotifications", {})).items;
      const hit = inbox.find((i) => i.title.startsWith("VCS feedback: setting the status of app-revoked"));
      if (hit) {
        expect(hit.title).toContain("failed after 4 attempts");
        expect(hit.body).toContain("GitHub answered 401");
        expect(hit.runId).toBe(runId);
        // Later updates of the run fail the same way: still one message about it.
        await w.report(job, "FAILED", { note: "set aside" });
        await t.server.vcsForTests!.feedbackIdle();
        await t.server.notificationsForTests!.drained();
        const about = (await t.admin.call("listNotifications", {})).items.filter((i) => i.title.startsWith("VCS feedback:") && i.runId === runId);
        expect(about).toHaveLength(1);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no internal error for the refused feedback; inbox: ${JSON.stringify(inbox.map((i) => i.title))}; github refused: ${JSON.stringify(github.rejected)}; run: ${JSON.stringify(await t.admin.call("getRun", { params: { id: runId! } }))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
});
