/**
 * Stack dependencies with the real terraform and worker: an upstream change queues the
 * dependent, which gets the upstream's outputs as environment variables (sensitive ones masked
 * in its log), waits while the upstream runs, is skipped when the upstream fails, and fails at
 * start when it references an output that does not exist.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Run } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, waitForRun, type Repo } from "./fixtures.js";

/** The upstream: a resource and outputs that follow `rev`, one of them sensitive. */
const network = (rev: string) => `
resource "terraform_data" "vpc" {
  input = "vpc-${rev}"
}
output "vpc_id" {
  value = terraform_data.vpc.output
}
output "token" {
  value     = "tok-${rev}-s3cr3t"
  sensitive = true
}
`;

/** The dependent: reads both outputs through TF_VAR_ variables. */
const app = `
variable "vpc_id" {
  type = string
}
variable "token" {
  type      = string
  sensitive = true
}
resource "terraform_data" "app" {
  input            = "app-in-\${var.vpc_id}"
  triggers_replace = [sha256(var.token)]
}
output "placed_in" {
  value = terraform_data.app.output
}
`;

describe("stack dependencies with the real terraform (sqlite)", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: Repo;

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    repo = makeRepo({ "network/main.tf": network("1"), "app/main.tf": app });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: mkdtempSync(join(tmpdir(), "gantry-worker-deps-")), claimWaitMs: 5000 });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  const newRunOf = async (stackId: string, seen: Set<string>): Promise<Run> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = (await t.admin.call("listStackRuns", { params: { id: stackId }, query: {} })).items.find((x) => !seen.has(x.id));
      if (r) return r;
      if (Date.now() > deadline) throw new Error(`no new run of ${stackId}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  };

  it("passes outputs downstream, masks sensitive ones, waits, skips, and fails on a missing output", async () => {
    const net = await t.admin.call("createStack", { body: { id: "network", name: "network", repository: repo.path, projectRoot: "network", autodeploy: true } });
    const svc = await t.admin.call("createStack", { body: { id: "app", name: "app", repository: repo.path, projectRoot: "app", autodeploy: true, hooks: { beforeInit: ['echo "token is $NETWORK_TOKEN"'] } } });
    const dep = await t.admin.call("createStackDependency", { params: { id: svc.id }, body: { dependsOnStackId: net.id } });
    for (const [outputName, inputName] of [["vpc_id", "TF_VAR_vpc_id"], ["token", "TF_VAR_token"], ["token", "NETWORK_TOKEN"]] as const) {
      await t.admin.call("createStackDependencyReference", { params: { id: svc.id }, body: { dependencyId: dep.id, outputName, inputName } });
    }

    // The upstream applies; its change queues the dependent, which reads its outputs.
    const first = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: net.id }, body: {} })).id);
    expect(first.state, first.failureReason ?? "").toBe("FINISHED");
    expect(await t.admin.call("stackOutputs", { params: { id: net.id } })).toEqual({ vpc_id: "vpc-1", token: "<sensitive>" });
    const triggered = await newRunOf(svc.id, new Set());
    expect(triggered.triggeredBy).toBe(`dependency on network (run ${first.id})`);
    const appRun = await waitForRun(t.admin, triggered.id);
    const log = await runLog(t.admin, appRun.id);
    expect(appRun.state, `${appRun.failureReason}\n${log}`).toBe("FINISHED");
    expect(await t.admin.call("stackOutputs", { params: { id: svc.id } })).toEqual({ placed_in: "app-in-vpc-1" });
    expect(log).toContain("token is *****");
    expect(log).not.toContain("tok-1-s3cr3t");

    // A new commit changes the upstream's resource and outputs: the dependent follows.
    repo.commit({ "network/main.tf": network("2") });
    const seen = new Set([appRun.id]);
    const { runIds } = await t.admin.call("deployStack", { params: { id: net.id }, body: { withDependents: true } });
    expect(runIds).toHaveLength(2);
    const waiting = await t.admin.call("getRun", { params: { id: runIds[1]! } });
    if (waiting.state === "QUEUED") expect(waiting.waitingForDependencies).toContain("waiting for dependencies: network");
    const second = await waitForRun(t.admin, runIds[1]!);
    expect(second.state, second.failureReason ?? "").toBe("FINISHED");
    const netDone = await t.admin.call("getRun", { params: { id: runIds[0]! } });
    // The dependent started only after the upstream finished.
    const started = second.history.find((h) => h.to === "PREPARING")!.at;
    expect(started >= netDone.history.find((h) => h.to === "FINISHED")!.at).toBe(true);
    expect(await t.admin.call("stackOutputs", { params: { id: svc.id } })).toEqual({ placed_in: "app-in-vpc-2" });
    seen.add(second.id);
    // The deployed dependent was already queued: the upstream's change did not queue a second one.
    // Twice: a round already in flight may have started before the event was committed.
    await t.server.dependencyDispatcherForTests!.runNow();
    await t.server.dependencyDispatcherForTests!.runNow();
    expect((await t.admin.call("listStackRuns", { params: { id: svc.id }, query: {} })).items.filter((r) => !seen.has(r.id))).toEqual([]);

    // A change that leaves the referenced outputs as they were does not trigger the dependent.
    repo.commit({ "network/main.tf": `${network("2")}\nresource "terraform_data" "unrelated" {\n  input = "x"\n}\n` });
    const quiet = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: net.id }, body: {} })).id);
    expect(quiet.state).toBe("FINISHED");
    expect(quiet.delta).toEqual({ added: 1, changed: 0, deleted: 0, outputs: 0 });
    // Twice: a round already in flight may have started before the event was committed.
    await t.server.dependencyDispatcherForTests!.runNow();
    await t.server.dependencyDispatcherForTests!.runNow();
    expect((await t.admin.call("listStackRuns", { params: { id: svc.id }, query: {} })).items.filter((r) => !seen.has(r.id))).toEqual([]);

    // A broken upstream fails; the dependent waiting for it is skipped with the reason.
    repo.commit({ "network/main.tf": `resource "terraform_data" "vpc" {\n  input = var.undeclared\n}\n` });
    const broken = await t.admin.call("deployStack", { params: { id: net.id }, body: { withDependents: true } });
    const failed = await waitForRun(t.admin, broken.runIds[0]!);
    expect(failed.state).toBe("FAILED");
    const skipped = await waitForRun(t.admin, broken.runIds[1]!);
    expect(skipped.state).toBe("SKIPPED");
    expect(skipped.failureReason).toContain(`upstream stack network run ${failed.id} ended FAILED`);

    // A reference to an output the upstream does not have fails the run at start, naming both.
    repo.commit({ "network/main.tf": network("2") });
    await t.admin.call("createStackDependencyReference", { params: { id: svc.id }, body: { dependencyId: dep.id, outputName: "subnet_ids", inputName: "TF_VAR_subnet_ids" } });
    const missing = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: svc.id }, body: {} })).id);
    expect(missing.state).toBe("FAILED");
    expect(missing.failureReason).toContain('output "subnet_ids" of upstream stack "network" does not exist');
    expect(missing.history.map((h) => h.to)).toEqual(["QUEUED", "READY", "PREPARING", "FAILED"]);
  }, 240_000);
});
