/**
 * Administrative stacks end to end (issue #7): a real server, the real worker (which installs
 * the Gantry provider from a filesystem mirror and reattaches terraform to it), the real
 * terraform, a local git repository laid out like the seed's infrastructure repository, and the
 * real CLI for bootstrapping. Everything is checked through the API.
 *
 * The bootstrap run is triggered through the API (nothing was pushed yet); later changes are
 * pushed the way a post-receive hook reports them (`POST /api/v1/vcs/notify`), and Gantry's
 * default push policy decides which stacks run.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { GantryClient, RunDetail, Stack } from "@gantry/contract";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";
import { makeRepo, runLog, waitForRun, type Repo } from "../../apps/worker/test/fixtures.js";
import { configYaml, environments, escapeModule, initialFiles, platformModule } from "./admin-stacks-repo.js";

const execFileAsync = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const RUN_WAIT_MS = 240_000;

async function allStacks(api: GantryClient): Promise<Stack[]> {
  return (await api.call("listStacks", { query: { limit: 500 } })).items;
}

describe("administrative stacks with real git and terraform", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: Repo;
  let dir: string;
  let mirror: string;

  /** Triggers a tracked run of the management stack (what a push will do) and waits for its end. */
  const manage = async (): Promise<{ run: RunDetail; log: string }> => {
    const created = await t.admin.call("createRun", { params: { id: "management" }, body: { type: "TRACKED" } });
    const run = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    return { run, log: await runLog(t.admin, run.id) };
  };
  /**
   * Commits `change` and reports the push like a post-receive hook: the management stack (its
   * additional project globs cover environments/ and policies/) must track it, and no stack the
   * management stack created may run (their project root did not change).
   */
  const push = async (change: () => void): Promise<{ run: RunDetail; log: string }> => {
    const before = repo.git("rev-parse", "HEAD");
    change();
    const after = repo.git("rev-parse", "HEAD");
    const result = await t.admin.call("notifyVcs", { body: { repository: repo.path, ref: "refs/heads/main", before, after } });
    const decided = Object.fromEntries(result.stacks.map((s) => [s.stackId, s.decision]));
    expect(decided.management).toBe("track");
    expect(Object.entries(decided).filter(([id, d]) => id !== "management" && d !== "ignore"), JSON.stringify(result)).toEqual([]);
    const runId = result.stacks.find((s) => s.stackId === "management")!.runId!;
    const run = await waitForRun(t.admin, runId, undefined, RUN_WAIT_MS);
    return { run, log: await runLog(t.admin, run.id) };
  };
  const stackIds = async () => (await allStacks(t.admin)).map((s) => s.id).sort();

  const startTestWorker = async (providerReattach: boolean) => {
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: join(dir, "worker"), providerMirror: mirror, providerReattach, claimWaitMs: 5000 });
    await worker.ready;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gantry-admin-stacks-"));
    const binary = join(dir, "bin", "terraform-provider-gantry");
    await buildProviderBinary({ entry: join(root, "packages/providers/src/gantry/main.ts"), outFile: binary });
    mirror = join(dir, "mirror");
    await layoutMirror({ mirrorDir: mirror, host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0", binary });
    t = await startTestServer("sqlite");
    repo = makeRepo(initialFiles());
    await startTestWorker(true);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("bootstraps with one CLI command: the management stack's tracked run creates spaces, stacks, policies, contexts and first runs", async () => {
    // Asynchronously: the server answering the CLI runs in this process.
    const { stdout: cli } = await execFileAsync(join(root, "node_modules/.bin/tsx"), [
      join(root, "apps/cli/src/main.ts"), "stack", "create", "--id", "management", "--name", "management", "--repository", repo.path,
      "--project-root", "spacelift/management", "--additional-project-glob", "environments/**", "--additional-project-glob", "policies/**", "--administrative", "--autodeploy", "--label", "needs-review", "-o", "json",
    ], { env: { PATH: process.env.PATH, HOME: dir, GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey }, encoding: "utf8" });
    expect(JSON.parse(cli)).toMatchObject({ id: "management", administrative: true, autodeploy: true, spaceId: "root" });

    const { run, log } = await manage();
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("administrative run: Gantry provider 0.1.0");
    expect(log).toContain("reattach mode");
    expect(log).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);

    const spaces = new Map((await t.admin.call("listSpaces", { query: { limit: 500 } })).items.map((s) => [s.id, s.parentSpaceId]));
    for (const s of ["platform", "sandbox", "staging", "prod", "security"]) expect(spaces.get(s), s).toBe("root");
    expect(spaces.get("security-audit")).toBe("security");
    expect(spaces.get("security-log-archive")).toBe("security");

    expect(await stackIds()).toEqual(["management", ...Object.keys(environments)].sort());
    for (const [id, c] of Object.entries(environments)) {
      const s = await t.admin.call("getStack", { params: { id } });
      const space = c.space === "security/audit" ? "security-audit" : c.space;
      expect(s, id).toMatchObject({ name: c.name, spaceId: space, repository: repo.path, branch: "main", projectRoot: "stacks/app", protectFromDeletion: c.protect_from_deletion ?? false });
      expect([...s.labels].sort(), id).toEqual([...c.labels].sort());
      const explained = await t.admin.call("explainStack", { params: { id } });
      expect(explained.contexts.map((x) => [x.id, x.reasons[0]?.kind]), id).toEqual([[`${id}-settings`, "direct"]]);
      const prod = c.labels.includes("env:prod");
      const policies = explained.policies.map((p) => [p.id, p.type, p.reasons[0]]);
      expect(policies, id).toEqual(prod ? [["plan-prod-no-deletes", "PLAN", { kind: "label", label: "autoattach:env:prod", stackLabel: "env:prod" }]] : []);
    }
    const mgmt = await t.admin.call("explainStack", { params: { id: "management" } });
    expect(mgmt.policies.map((p) => [p.id, p.type])).toEqual([["approval-reviewed", "APPROVAL"]]);

    // The audit trail names the management run as the actor of what it created.
    const audit = await t.admin.call("listAuditEvents", { query: { targetId: "app-dev", action: "stack.create" } });
    expect(audit.items.map((e) => [e.actorType, e.actorId])).toEqual([["run", run.id]]);

    // app-dev asked for a first run (gantry_run): it ran with its context's variables.
    const devRuns = (await t.admin.call("listStackRuns", { params: { id: "app-dev" }, query: {} })).items;
    expect(devRuns).toHaveLength(1);
    const dev = await waitForRun(t.admin, devRuns[0]!.id, undefined, RUN_WAIT_MS);
    expect(dev.state, await runLog(t.admin, dev.id)).toBe("FINISHED");
    expect(dev.triggeredBy).toContain(run.id);
    expect((await t.admin.call("listStackRuns", { params: { id: "app-qa" }, query: {} })).items).toHaveLength(0);
  }, 600_000);

  it("creates exactly one stack for a seventh config.yaml, and deletes the stack of a removed one", async () => {
    const before = await stackIds();
    const added = await push(() => repo.commit({ "environments/app-perf/config.yaml": configYaml({ name: "app perf", space: "staging", labels: ["team:app", "env:perf"], variables: { TF_VAR_environment: "perf" } }) }, "add perf"));
    expect(added.run.state, `${added.run.failureReason}\n${added.log}`).toBe("FINISHED");
    // The approval policy saw an administrative stack and approved: no approval loop.
    expect(added.run.policyReceipts.map((r) => [r.policyId, r.outcome])).toContainEqual(["approval-reviewed", "approve"]);
    expect(await stackIds()).toEqual([...before, "app-perf"].sort());
    // Its stack, context, variable and context attachment; nothing else changes.
    expect(added.run.delta).toEqual({ added: 4, changed: 0, deleted: 0, outputs: 1 });

    const removed = await push(() => {
      repo.git("rm", "-q", "environments/app-qa/config.yaml");
      repo.git("commit", "-q", "-m", "remove qa");
    });
    expect(removed.run.state, `${removed.run.failureReason}\n${removed.log}`).toBe("FINISHED");
    expect(await stackIds()).toEqual([...before, "app-perf"].filter((s) => s !== "app-qa").sort());
    expect((await t.admin.call("listContexts", { query: { limit: 500 } })).items.map((c) => c.id)).not.toContain("app-qa-settings");
  }, 600_000);

  it("fails the plan of a malformed config.yaml with terraform's error and leaves every stack untouched", async () => {
    const managed = async () => (await allStacks(t.admin)).filter((s) => s.id !== "management");
    const before = await managed();
    repo.commit({ "environments/broken/config.yaml": "name: [unclosed\nspace: sandbox\n" }, "broken config");
    try {
      const broken = await manage();
      expect(broken.run.state).toBe("FAILED");
      expect(broken.run.history.map((h) => h.to)).not.toContain("APPLYING");
      expect(broken.log).toContain('Call to function "yamldecode" failed');
      expect(await managed()).toEqual(before);
    } finally {
      repo.git("rm", "-q", "environments/broken/config.yaml");
      repo.git("commit", "-q", "-m", "remove broken config");
    }
  }, 600_000);

  it("honours protectFromDeletion: the run fails with the API's refusal and the stack stays", async () => {
    repo.git("rm", "-q", "environments/app-prod-us/config.yaml");
    repo.git("commit", "-q", "-m", "remove prod-us");
    const { run, log } = await manage();
    expect(run.state).toBe("FAILED");
    expect(log).toContain('stack "app-prod-us" is protected from deletion');
    expect((await t.admin.call("getStack", { params: { id: "app-prod-us" } })).protectFromDeletion).toBe(true);
  }, 600_000);

  it("keeps an administrative stack in a sub-space inside its subtree, masks its token and refuses it after the run", async () => {
    const tokenFile = join(dir, "leaked-token");
    repo.commit({ "spacelift/sandbox-admin/main.tf": escapeModule }, "sandbox admin stack");
    await t.admin.call("createStack", {
      body: {
        id: "sandbox-admin", name: "sandbox admin", spaceId: "sandbox", repository: repo.path, projectRoot: "spacelift/sandbox-admin",
        administrative: true, autodeploy: true,
        hooks: { beforeInit: [`echo "token=$GANTRY_API_TOKEN"`, `printf %s "$GANTRY_API_TOKEN" > ${tokenFile}`] },
      },
    });
    const created = await t.admin.call("createRun", { params: { id: "sandbox-admin" }, body: { type: "TRACKED" } });
    const run = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    const log = await runLog(t.admin, run.id);
    expect(run.state, log).toBe("FAILED");
    const token = readFileSync(tokenFile, "utf8");
    expect(token).toMatch(/^gra_/);
    expect(log).toContain("token=*****");
    expect(log).not.toContain(token);
    // Inside its subtree it worked; outside, terraform shows the API's 403 on the attribute that chose the space.
    expect((await t.admin.call("getSpace", { params: { id: "sandbox-team" } })).parentSpaceId).toBe("sandbox");
    expect(log).toMatch(/creating a space needs the admin role in space "root"[\s\S]*parent_space_id = "root"/);
    expect(log).toMatch(/creating a stack needs the write role in space "prod"[\s\S]*space_id\s+= "prod"/);
    expect((await t.admin.call("listSpaces", { query: { limit: 500 } })).items.map((s) => s.id)).not.toContain("escape");
    expect(await stackIds()).not.toContain("escape-stack");
    // The run is over: its token is refused.
    const after = await fetch(`${t.url}/api/v1/spaces/sandbox`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect(JSON.stringify(await after.json())).toContain(`run ${run.id}, which is FAILED`);
    expect(existsSync(tokenFile)).toBe(true);
  }, 600_000);

  it("applies a confirmed administrative run from its saved workspace on a worker that starts the provider per command", async () => {
    repo.commit({ "spacelift/platform-admin/main.tf": platformModule }, "platform admin stack");
    await t.admin.call("createStack", { body: { id: "platform-admin", name: "platform admin", spaceId: "platform", repository: repo.path, projectRoot: "spacelift/platform-admin", administrative: true } });
    const created = await t.admin.call("createRun", { params: { id: "platform-admin" }, body: { type: "TRACKED" } });
    const planned = await waitForRun(t.admin, created.id, ["UNCONFIRMED", "FAILED", "FINISHED"], RUN_WAIT_MS);
    expect(planned.state, await runLog(t.admin, created.id)).toBe("UNCONFIRMED");
    // The plan ran with the provider reattached; the apply goes to a worker with reattach off.
    await worker.stop();
    await startTestWorker(false);
    await t.admin.call("confirmRun", { params: { id: created.id } });
    const done = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    const log = await runLog(t.admin, created.id);
    expect(done.state, log).toBe("FINISHED");
    expect(log).toContain("restoring the workspace saved after planning");
    expect(log).toContain(`administrative run: Gantry provider 0.1.0 from ${mirror}, started once for this phase (reattach mode)`);
    expect(log).toContain(`administrative run: Gantry provider 0.1.0 from ${mirror}\n`);
    expect((await t.admin.call("getSpace", { params: { id: "platform-apps" } })).parentSpaceId).toBe("platform");
  }, 600_000);
});
