/**
 * Runs end to end with the real terraform: a real server, the real worker in-process, local git
 * repositories with `terraform_data` configurations (no network).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpTable, startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, simpleConfig, waitForRun, type Repo } from "./fixtures.js";

describe("runs with the real terraform (sqlite)", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: Repo;
  let n = 0;

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    repo = makeRepo();
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: mkdtempSync(join(tmpdir(), "gantry-worker-test-")), claimWaitMs: 5000 });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  const stack = (extra: Record<string, unknown> = {}) =>
    t.admin.call("createStack", { body: { name: `e2e${++n}`, repository: repo.path, manageState: false, ...extra } });

  it("autodeploys a tracked run: resolved commit, env and hooks, masked secrets, outputs", async () => {
    const s = await stack({
      autodeploy: true,
      hooks: { beforeInit: ['echo "run $GANTRY_RUN_ID of $GANTRY_STACK_ID at $GANTRY_COMMIT_SHA"', 'echo "greeting=$TF_VAR_greeting"', 'v=$(echo lav-cim4nyd | rev); printf "::add-mask::%s\\n" "$v"; echo "dyn=$v"'] },
    });
    await t.admin.call("putStackVariable", { params: { id: s.id, name: "TF_VAR_greeting" }, body: { value: "t0p-s3cret-greeting", writeOnly: true } });
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TRACKED" } });
    const done = await waitForRun(t.admin, run.id);
    const log = await runLog(t.admin, run.id);
    expect(done.state, log).toBe("FINISHED");
    expect(done.commit.sha).toBe(repo.git("rev-parse", "HEAD"));
    expect(done.commit).toMatchObject({ message: repo.git("log", "-1", "--format=%s"), author: "Ada" });
    expect(done.delta).toEqual({ added: 1, changed: 0, deleted: 0, outputs: 2 });
    expect(done.history.map((h) => h.to)).toEqual(["QUEUED", "READY", "PREPARING", "INITIALIZING", "PLANNING", "APPLYING", "FINISHED"]);
    expect(log).toContain(`run ${run.id} of ${s.id} at ${done.commit.sha}`);
    expect(log).toContain("Apply complete! Resources: 1 added");
    expect(log).toContain("greeting=*****");
    expect(log).toContain("dyn=*****");
    expect(log).not.toContain("t0p-s3cret-greeting");
    expect(log).not.toContain("dyn4mic-val");
    expect(log).toContain("::add-mask::*****");
  });

  it.each([false, true])("stops at UNCONFIRMED without autodeploy and applies the saved plan once confirmed (managed state: %s)", async (manageState) => {
    const s = await stack({ manageState });
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    await waitForRun(t.admin, run.id, ["UNCONFIRMED", "FAILED"]);
    expect((await t.admin.call("getRun", { params: { id: run.id } })).state).toBe("UNCONFIRMED");
    await t.admin.call("confirmRun", { params: { id: run.id } });
    const done = await waitForRun(t.admin, run.id);
    const log = await runLog(t.admin, run.id);
    expect(done.state, `${done.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("restoring the workspace saved after planning");
    expect(log).toContain("Apply complete! Resources: 1 added");
  });

  it("keeps managed state on the server: versions per write, lock released, no changes on the next run", async () => {
    const s = await stack({ manageState: true, autodeploy: true });
    const first = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id);
    expect(first.state, `${first.failureReason}\n${await runLog(t.admin, first.id)}`).toBe("FINISHED");
    const versions = await t.admin.call("listStateVersions", { params: { id: s.id } });
    expect(versions.items.length).toBeGreaterThan(0);
    expect(versions.items[0]!.runId).toBe(first.id);
    const content = await t.admin.call("getStateVersion", { params: { id: s.id, versionId: versions.items[0]!.id } });
    expect(JSON.stringify(content.state)).toContain("terraform_data");
    const second = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id);
    expect(second.state).toBe("FINISHED");
    expect(second.delta).toEqual({ added: 0, changed: 0, deleted: 0, outputs: 0 });
    expect(second.history.map((h) => h.to)).not.toContain("APPLYING");
    // The tracked run's non-sensitive outputs are kept for stack dependencies.
    const db = new SQLite(t.databaseUrl, { readonly: true });
    const row = db.prepare("select run_id, outputs from stack_outputs where stack_id = ?").get(s.id) as { run_id: string; outputs: string };
    db.close();
    expect(row.run_id).toBe(first.id);
    // Stored encrypted (bound to the stack), and readable through the API as name to value.
    expect(row.outputs).not.toContain("hello");
    expect(await t.admin.call("stackOutputs", { params: { id: s.id } })).toMatchObject({ greeting: "hello" });
    // The state stays readable with an admin's API key (terraform's http backend, Basic auth).
    const res = await fetch(`${t.url}/state/${s.id}`, { headers: { authorization: `Basic ${Buffer.from(`x:${t.adminKey}`).toString("base64")}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resources: unknown[] }).resources).toHaveLength(1);
  });

  it("stores the plan JSON of an autodeploy run that applied while it was made, as a plan policy's run does before deciding", async () => {
    const storedPlan = async (runId: string) => {
      const engine = t.server.runEngineForTests!;
      const json = (await engine.blobs.latest(engine.core.db, "run", runId, "plan-json"))?.toString("utf8");
      return json ? (JSON.parse(json) as { resource_changes: { address: string; change: { actions: string[] } }[] }) : undefined;
    };
    const own = makeRepo();
    const label = `early-${Date.now()}`;
    const s = await stack({ repository: own.path, manageState: true, autodeploy: true, labels: [label] });
    const early = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id);
    const earlyLog = await runLog(t.admin, early.id);
    expect(early.state, `${early.failureReason}\n${earlyLog}`).toBe("FINISHED");
    expect(early.delta).toEqual({ added: 1, changed: 0, deleted: 0, outputs: 2 });
    expect((await storedPlan(early.id))?.resource_changes).toEqual([expect.objectContaining({ address: "terraform_data.greeting", change: expect.objectContaining({ actions: ["create"] }) })]);
    // The JSON was made while the apply ran: its summary line comes after the apply's output.
    expect(earlyLog.indexOf("plan: 1 to add, 0 to change, 0 to destroy")).toBeGreaterThan(earlyLog.indexOf("Apply complete!"));
    // A PLAN policy reads the JSON, so the run waits for it before deciding (here: a warning stops autodeploy).
    await t.admin.call("createPolicy", { body: { name: `warn${n}`, type: "PLAN", labels: [`autoattach:${label}`], body: 'package spacelift\nimport rego.v1\nwarn contains rc.address if some rc in input.terraform.resource_changes' } });
    own.commit({ "main.tf": simpleConfig.replace('default = "hello"', 'default = "bonjour"') }, "greet in french");
    const gated = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id, ["UNCONFIRMED", "FAILED", "FINISHED"]);
    expect(gated.state, gated.failureReason ?? "").toBe("UNCONFIRMED");
    expect(gated.delta).toEqual({ added: 0, changed: 1, deleted: 0, outputs: 1 });
    expect((await storedPlan(gated.id))?.resource_changes[0]?.change.actions).toEqual(["update"]);
    await t.admin.call("discardRun", { params: { id: gated.id } });
  });

  it("applies an output-only change: delta counts it, autodeploy applies it, the state gets the new outputs", async () => {
    const own = makeRepo();
    const s = await stack({ repository: own.path, manageState: true, autodeploy: true });
    expect((await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id)).state).toBe("FINISHED");
    own.commit({ "main.tf": `${simpleConfig}\noutput "extra" {\n  value = "new"\n}\n` }, "an output");
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id);
    const log = await runLog(t.admin, run.id);
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("Changes to Outputs");
    expect(run.delta).toEqual({ added: 0, changed: 0, deleted: 0, outputs: 1 });
    expect(run.history.map((h) => h.to)).toContain("APPLYING");
    const state = await fetch(`${t.url}/state/${s.id}`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect((await state.json()) as { outputs: Record<string, { value: unknown }> }).toMatchObject({ outputs: { extra: { value: "new" } } });
  });

  it("stores outputs encrypted, leaving out one that carries a write-only value", async () => {
    const own = makeRepo({ "main.tf": `${simpleConfig}\noutput "plain" {\n  value = "visible-output-value"\n}\n` });
    const s = await stack({ repository: own.path, manageState: true, autodeploy: true });
    await t.admin.call("putStackVariable", { params: { id: s.id, name: "TF_VAR_greeting" }, body: { value: "wr1te-only-0utput", writeOnly: true } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id);
    expect(run.state, run.failureReason ?? "").toBe("FINISHED");
    const stored = JSON.parse(await dumpTable(t, "stack_outputs")) as { stack_id: string; outputs: string }[];
    const row = stored.find((r) => r.stack_id === s.id);
    expect(row, "the run stored its outputs").toBeDefined();
    expect(row!.outputs).toMatch(/^v2\./);
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain("wr1te-only-0utput");
    expect(everything).not.toContain(Buffer.from("wr1te-only-0utput").toString("base64"));
    expect(everything).not.toContain("visible-output-value");
    expect(await runLog(t.admin, run.id)).not.toContain("wr1te-only-0utput");

    // Shown and passed on as sensitive: the API masks it, and a dependent receives it as a
    // secret, masked in its log, although terraform never marked it sensitive.
    const outputs = await t.admin.call("stackOutputs", { params: { id: s.id } });
    expect(outputs).toMatchObject({ greeting: "<sensitive>", plain: "visible-output-value" });
    const downstream = await stack({ hooks: { beforeInit: ['echo "upstream greeting is $UPSTREAM_GREETING"'] } });
    const dep = await t.admin.call("createStackDependency", { params: { id: downstream.id }, body: { dependsOnStackId: s.id } });
    await t.admin.call("createStackDependencyReference", { params: { id: downstream.id }, body: { dependencyId: dep.id, outputName: "greeting", inputName: "UPSTREAM_GREETING" } });
    const next = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: downstream.id }, body: { type: "PROPOSED" } })).id);
    const log = await runLog(t.admin, next.id);
    expect(next.state, `${next.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("upstream greeting is *****");
    expect(log).not.toContain("wr1te-only-0utput");
    expect(JSON.stringify(await t.admin.call("getRun", { params: { id: next.id } }))).not.toContain("wr1te-only-0utput");
  });

  it("gives a stack of outputs only a state version, and waits for confirmation without autodeploy", async () => {
    const own = makeRepo({ "main.tf": 'output "v" {\n  value = "one"\n}\n' });
    const s = await stack({ repository: own.path, manageState: true });
    const first = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const waiting = await waitForRun(t.admin, first.id, ["UNCONFIRMED", "FINISHED", "FAILED"]);
    expect(waiting.state).toBe("UNCONFIRMED");
    expect(waiting.delta).toEqual({ added: 0, changed: 0, deleted: 0, outputs: 1 });
    await t.admin.call("confirmRun", { params: { id: first.id } });
    expect((await waitForRun(t.admin, first.id)).state).toBe("FINISHED");
    const state = await fetch(`${t.url}/state/${s.id}`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(state.status).toBe(200);
    expect((await state.json()) as { outputs: Record<string, { value: unknown }> }).toMatchObject({ outputs: { v: { value: "one" } } });
    // Nothing left to change: the next run finishes without asking.
    const again = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id);
    expect(again.state).toBe("FINISHED");
    expect(again.delta).toEqual({ added: 0, changed: 0, deleted: 0, outputs: 0 });
  });

  it("streams the log live over SSE, masked, until the run ends", async () => {
    const s = await stack();
    await t.admin.call("putStackVariable", { params: { id: s.id, name: "SECRET_TOKEN" }, body: { value: "sse-s3cret-value", writeOnly: true } });
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK", command: 'for i in 1 2 3; do echo "tick $i $SECRET_TOKEN"; sleep 0.2; done' } });
    const res = await fetch(`${t.url}/api/v1/runs/${run.id}/logs/stream`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text(); // the server ends the stream when the run is terminal
    expect(text).toContain("event: log");
    expect(text).toMatch(/event: state\ndata: \{"state":"PERFORMING"\}/);
    expect(text).toContain("tick 3 *****");
    expect(text).not.toContain("sse-s3cret-value");
    expect(text.trimEnd().endsWith("event: end\ndata: {}")).toBe(true);
    expect((await fetch(`${t.url}/api/v1/runs/${run.id}/logs/stream`)).status).toBe(401);
  });

  it("stops a running terraform process when a person stops the run", async () => {
    const s = await stack();
    const marker = `still-running-${process.pid}-${Date.now()}`;
    const running = () => spawnSync("pgrep", ["-f", marker]).status === 0;
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK", command: `while true; do echo ${marker}; sleep 0.1; done` } });
    await waitForRun(t.admin, run.id, ["PERFORMING"]);
    expect(running()).toBe(true);
    const t0 = Date.now();
    await t.admin.call("stopRun", { params: { id: run.id } });
    while (running() && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
    expect(running(), "the task's processes must be killed").toBe(false);
    // The worker is free again: a new run on another stack finishes.
    const other = await stack();
    const next = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: other.id }, body: { type: "TASK", command: "echo next" } })).id);
    expect(next.state).toBe("FINISHED");
    expect(Date.now() - t0).toBeLessThan(10_000);
    const stopped = await t.admin.call("getRun", { params: { id: run.id } });
    expect(stopped.state).toBe("STOPPED");
    expect(stopped.history.at(-1)).toMatchObject({ to: "STOPPED", cause: "user" });
  });

  it("destroys what a tracked run created", async () => {
    const s = await stack({ manageState: true, autodeploy: true });
    expect((await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id)).state).toBe("FINISHED");
    const destroy = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "DESTROY" } })).id);
    const log = await runLog(t.admin, destroy.id);
    expect(destroy.state, `${destroy.failureReason}\n${log}`).toBe("FINISHED");
    expect(destroy.delta).toEqual({ added: 0, changed: 0, deleted: 1, outputs: 2 });
    expect(destroy.history.map((h) => h.to)).toContain("DESTROYING");
    // Applying a saved destroy plan reports as an apply.
    expect(log).toContain("Apply complete! Resources: 0 added, 0 changed, 1 destroyed.");
  });

  it("runs a task command and a proposed run", async () => {
    const s = await stack();
    const task = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "TASK", command: "echo task-says-$GANTRY_RUN_TYPE" } });
    const proposed = await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } });
    const taskDone = await waitForRun(t.admin, task.id);
    expect(taskDone.state, `${taskDone.failureReason}\n${await runLog(t.admin, task.id)}`).toBe("FINISHED");
    expect(await runLog(t.admin, task.id)).toContain("task-says-TASK");
    const p = await waitForRun(t.admin, proposed.id);
    expect(p.state).toBe("FINISHED");
    expect(p.history.map((h) => h.to)).not.toContain("APPLYING");
  });

  it("fails bad input with a message that says which and why, and the stack stays usable", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ branch: "nope" }, /branch "nope" does not exist/],
      [{ repository: "/does/not/exist" }, /repository \/does\/not\/exist failed/],
      [{ projectRoot: "missing/dir" }, /project root "missing\/dir" does not exist/],
      [{ terraformVersion: "0.0.1" }, /terraform 0\.0\.1 is not available/],
      [{ hooks: { beforePlan: ["exit 3"] } }, /beforePlan hook "exit 3" exited with code 3/],
    ];
    for (const [settings, message] of cases) {
      const s = await stack(settings);
      const run = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
      const done = await waitForRun(t.admin, run.id);
      expect(done.state).toBe("FAILED");
      expect(done.failureReason).toMatch(message);
    }
    const broken = makeRepo({ "main.tf": 'resource "terraform_data" "x" {' });
    const s = await stack({ repository: broken.path });
    const bad = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: {} })).id);
    expect(bad.failureReason).toMatch(/init exited with code 1/);
    expect(await runLog(t.admin, bad.id)).toMatch(/Unclosed configuration block|Argument or block definition required/);
    broken.commit({ "main.tf": simpleConfig }, "fix");
    const good = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } })).id);
    expect(good.state).toBe("FINISHED");
  });
});
