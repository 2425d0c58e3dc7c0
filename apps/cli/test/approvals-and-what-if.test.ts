/**
 * The real `gantry` command against a real server: following a run an approval policy holds
 * (the reason is printed, the follow keeps waiting, a rejection ends it with status 1), a run
 * waiting for confirmation (status 4 and the next command), `run show` with reviews and
 * approval decisions, `policy create --test-file` refusing a failing test, `policy simulate`,
 * `run explain-policy` of the body that decided and of the current one.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

const twoApprovals = `package spacelift
import rego.v1
approve if count(input.reviews.current.approvals) >= 2
reject if count(input.reviews.current.rejections) > 0`;

describe("approvals a person can follow, policy tests and what-if, from the CLI", () => {
  let t: TestServer;
  let opts: CliOptions;
  const gantry = (args: string[]) => runCli(args, opts);
  beforeAll(async () => {
    t = await startTestServer();
    opts = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch }, cwd: t.scratch };
    await t.admin.call("createPolicy", { body: { id: "two-approvals", name: "two approvals", type: "APPROVAL", body: twoApprovals, labels: ["autoattach:gated"] } });
    await t.admin.call("createStack", { body: { id: "gated", name: "gated", repository: "/srv/x.git", labels: ["gated"] } });
  }, 60_000);
  afterAll(() => t?.stop());

  it("follows a run held in QUEUED: says why and keeps waiting; a rejection ends it, and run show lists reviews and decisions", async () => {
    const child = spawnCli(["run", "trigger", "gated", "--follow"], opts);
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    for (let i = 0; i < 200 && !err.includes("held in QUEUED"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(err).toContain("is QUEUED: held in QUEUED by approval policies before it starts: two-approvals (undecided)");
    expect(err).toContain("next: gantry run review");
    const runId = /run (\w+) \(TRACKED\) triggered on stack gated/.exec(out)?.[1];
    expect(runId).toBeDefined();
    // One approval is not enough: the follow is still waiting.
    await t.admin.call("reviewRun", { params: { id: runId! }, body: { decision: "approve", note: "looks fine" } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(child.exitCode).toBeNull();
    await t.admin.call("reviewRun", { params: { id: runId! }, body: { decision: "reject", note: "not today" } });
    expect(await exited).toBe(1);
    expect(err).toMatch(/error: run \w+ ended FAILED/);

    const show = await gantry(["run", "show", runId!]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/two-approvals\s+reject/);
    expect(show.stdout).toContain("reviews in QUEUED:");
    expect(show.stdout).toMatch(/admin\s+approve\s+looks fine/);
    expect(show.stdout).toMatch(/admin\s+reject\s+not today/);
  }, 60_000);

  it("exits 4 with the next command when a followed run waits for confirmation", async () => {
    await t.admin.call("createStack", { body: { id: "manual", name: "manual", repository: "/srv/x.git" } });
    const child = spawnCli(["run", "trigger", "manual", "--follow"], opts);
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    for (let i = 0; i < 100 && !/run (\w+) \(TRACKED\)/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    const runId = /run (\w+) \(TRACKED\)/.exec(out)![1]!;
    // A worker speaking the protocol plans it: the run stops in UNCONFIRMED (no autodeploy).
    const token = await t.server.mintWorkerToken();
    const post = (path: string, body: unknown, auth: string) => fetch(t.url + path, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const { workerId } = (await post("/api/v1/worker/register", { name: "cli-approvals" }, token)) as { workerId: string };
    const { job } = (await post(`/api/v1/worker/${workerId}/claim`, { waitMs: 2000 }, token)) as { job: { runId: string; runToken: string } };
    expect(job.runId).toBe(runId);
    for (const to of ["INITIALIZING", "PLANNING"]) await post(`/api/v1/worker/runs/${runId}/transition`, { to }, job.runToken);
    await post(`/api/v1/worker/runs/${runId}/plan`, { delta: { added: 1, changed: 0, deleted: 0 }, planJson: null }, job.runToken);
    expect(await exited).toBe(4);
    expect(err).toContain(`run ${runId} is UNCONFIRMED: planned and waiting for a person to confirm the apply`);
    expect(err).toContain(`next: gantry run confirm ${runId} to apply, or gantry run discard ${runId}`);
  }, 60_000);

  it("refuses a policy whose --test-file fails, naming the test; simulate replays a body file", async () => {
    const body = join(t.scratch, "p.rego");
    const tests = join(t.scratch, "p_test.rego");
    writeFileSync(body, 'package spacelift\nimport rego.v1\ndeny contains "no" if input.run.type == "TASK"\n');
    writeFileSync(tests, 'package spacelift\nimport rego.v1\ntest_tasks_pass if count(deny) == 0 with input as {"run": {"type": "TASK"}}\n');
    const refused = await gantry(["policy", "create", "--name", "tasks", "--type", "INITIALIZATION", "--body-file", body, "--test-file", tests]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("data.spacelift.test_tasks_pass");
    writeFileSync(tests, 'package spacelift\nimport rego.v1\ntest_tasks_denied if deny["no"] with input as {"run": {"type": "TASK"}}\n');
    const saved = await gantry(["policy", "create", "--name", "tasks", "--type", "INITIALIZATION", "--body-file", body, "--test-file", tests, "--label", "autoattach:gated"]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/tests:\s+yes/);

    const sim = await gantry(["policy", "simulate", "tasks", "--body-file", body, "--last", "5"]);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toContain("policy tasks (INITIALIZATION), saved version");
    expect(sim.stdout).toContain("no recorded inputs to replay");
    const missing = await gantry(["policy", "simulate", "tasks", "--body-file", join(t.scratch, "nope.rego")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read --body-file");
  }, 60_000);

  it("explains a run's policy with the body that decided, or with --current the policy as edited since", async () => {
    // The first test's run, which two-approvals rejected.
    const runs = await t.admin.call("listStackRuns", { params: { id: "gated" }, query: {} });
    const runId = runs.items.find((r) => r.state === "FAILED")!.id;
    const decided = await gantry(["run", "explain-policy", runId, "two-approvals", "--mode", "fails"]);
    expect(decided.code, decided.stderr).toBe(0);
    const version = /the body that decided \(version ([0-9a-f]{16})\)/.exec(decided.stdout)?.[1];
    expect(version, decided.stdout).toBeDefined();
    expect(decided.stdout).toContain("# APPROVAL policy two-approvals (two approvals) said reject at ");

    await t.admin.call("updatePolicy", { params: { id: "two-approvals" }, body: { body: twoApprovals.replace(">= 2", ">= 3") } });
    const again = await gantry(["run", "explain-policy", runId, "two-approvals", "--mode", "fails"]);
    expect(again.stdout).toContain(`the body that decided (version ${version})`);
    const current = await gantry(["run", "explain-policy", runId, "two-approvals", "--mode", "full", "--current"]);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toMatch(new RegExp(`its current body \\(version (?!${version})[0-9a-f]{16}; version ${version} decided\\)`));
    expect(current.stdout).toContain(">= 3");
  }, 60_000);
});
