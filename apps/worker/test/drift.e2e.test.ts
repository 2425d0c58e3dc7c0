/**
 * Drift detection for real: a stack managing a bucket in the AWS simulator (the real terraform,
 * the simulator provider installed from a filesystem mirror, the real worker in-process). The
 * bucket's tags are edited in the simulated cloud's file behind terraform's back; the scheduled
 * drift run (the server's clock injected and moved past the due time, not waited for) finds it,
 * marks the stack drifted, and its reconcile run puts the tag back. A last drift check clears it.
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSimulatorMirror } from "../../../packages/providers/test/e2e/terraform-harness.js";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, waitForRun } from "./fixtures.js";

const config = `
terraform {
  required_providers {
    aws = { source = "gantry.dev/sim/aws" }
  }
}
provider "aws" {
  region = "us-east-1"
}
resource "aws_s3_bucket" "logs" {
  bucket = "drift-logs"
  tags   = { owner = "platform" }
}
`;

/** The simulated cloud's files (one per account and region) under `simDir`. */
function cloudFiles(simDir: string): string[] {
  return readdirSync(simDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")).map((f) => join(simDir, f));
}

function bucketTags(simDir: string): unknown {
  for (const file of cloudFiles(simDir)) {
    const doc = JSON.parse(readFileSync(file, "utf8")) as { objects: Record<string, Record<string, Record<string, unknown>>> };
    const bucket = doc.objects["aws_s3_bucket"]?.["drift-logs"];
    if (bucket) return bucket["tags"];
  }
  return undefined;
}

/** Someone retags the bucket in the console: the cloud changes, terraform's state does not. */
function retagBehindTerraformsBack(simDir: string): void {
  for (const file of cloudFiles(simDir)) {
    const doc = JSON.parse(readFileSync(file, "utf8")) as { objects: Record<string, Record<string, Record<string, unknown>>> };
    const bucket = doc.objects["aws_s3_bucket"]?.["drift-logs"];
    if (!bucket) continue;
    bucket["tags"] = { owner: "mallory" };
    writeFileSync(file, JSON.stringify(doc, null, 2));
    return;
  }
  throw new Error(`no bucket drift-logs in ${simDir}`);
}

describe("drift detection with the real terraform and the AWS simulator", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let clock = new Date();

  beforeAll(async () => {
    const { mirrorDir } = await buildSimulatorMirror();
    t = await startTestServer("sqlite", { clock: () => clock });
    const dir = mkdtempSync(join(tmpdir(), "gantry-drift-e2e-"));
    const cliConfig = join(dir, "sim.tfrc");
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirrorDir)}\n    include = ["gantry.dev/sim/*"]\n  }\n  direct { exclude = ["gantry.dev/sim/*"] }\n}\n`);
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 1, workDir: join(dir, "worker"), claimWaitMs: 5000 });
    await worker.ready;
    const repo = makeRepo({ "main.tf": config });
    const simDir = join(dir, "sim");
    await t.admin.call("createStack", { body: { id: "bucket", name: "bucket", repository: repo.path, autodeploy: true } });
    for (const [name, value] of Object.entries({ TF_CLI_CONFIG_FILE: cliConfig, AWS_SIM_DIR: simDir, AWS_SIM_ALLOW_ANONYMOUS: "1", AWS_REGION: "us-east-1" })) {
      await t.admin.call("putStackVariable", { params: { id: "bucket", name }, body: { value, writeOnly: false } });
    }
    Object.assign(globalThis, { __simDir: simDir });
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  it("detects a retagged bucket on schedule, marks the stack drifted and reconciles it", async () => {
    const simDir = (globalThis as unknown as { __simDir: string }).__simDir;
    const first = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "bucket" }, body: { type: "TRACKED" } })).id, undefined, 120_000);
    expect(first.state, `${first.failureReason}\n${await runLog(t.admin, first.id)}`).toBe("FINISHED");
    expect(bucketTags(simDir)).toEqual({ owner: "platform" });

    clock = new Date("2031-03-01T09:20:00Z");
    const settings = await t.admin.call("putDriftDetection", { params: { id: "bucket" }, body: { schedule: ["0 * * * *"], reconcile: true } });
    expect(settings.nextRunAt).toBe("2031-03-01T10:00:00.000Z");
    retagBehindTerraformsBack(simDir);

    // The due time comes (the clock moves; nothing waits an hour).
    clock = new Date("2031-03-01T10:00:00.050Z");
    await t.server.schedulesForTests!.drift.runNow();
    await t.server.schedulesForTests!.drift.runNow();
    const drift = (await t.admin.call("listStackRuns", { params: { id: "bucket" }, query: {} })).items.find((r) => r.driftDetection);
    expect(drift, "the scheduled drift run").toBeDefined();
    const detected = await waitForRun(t.admin, drift!.id, undefined, 120_000);
    const log = await runLog(t.admin, detected.id);
    expect(detected.state, `${detected.failureReason}\n${log}`).toBe("FINISHED");
    expect(detected).toMatchObject({ type: "PROPOSED", driftDetection: true, delta: { added: 0, changed: 1, deleted: 0 } });
    expect(log).toContain("mallory");
    const stack = await t.admin.call("getStack", { params: { id: "bucket" } });
    expect(stack.drift).toMatchObject({ resources: ["aws_s3_bucket.logs"], runId: detected.id });

    // Reconcile: a tracked run queued by the drift run puts the tag back.
    const reconcile = (await t.admin.call("listStackRuns", { params: { id: "bucket" }, query: {} })).items.find((r) => r.type === "TRACKED" && r.id !== first.id);
    expect(reconcile?.triggeredBy).toBe("drift-detection");
    expect((await t.admin.call("getRun", { params: { id: reconcile!.id } })).history[0]?.note).toBe(`reconcile drift found by run ${detected.id}`);
    const fixed = await waitForRun(t.admin, reconcile!.id, undefined, 120_000);
    expect(fixed.state, `${fixed.failureReason}\n${await runLog(t.admin, fixed.id)}`).toBe("FINISHED");
    expect(bucketTags(simDir)).toEqual({ owner: "platform" });

    // Reality matches the code again: the next drift run finds nothing and clears the mark.
    const check = await waitForRun(t.admin, (await t.admin.call("createDriftCheck", { params: { id: "bucket" } })).id, undefined, 120_000);
    expect(check).toMatchObject({ state: "FINISHED", delta: { added: 0, changed: 0, deleted: 0 } });
    expect((await t.admin.call("getStack", { params: { id: "bucket" } })).drift).toBeNull();
  }, 300_000);
});
