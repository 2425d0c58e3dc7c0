/**
 * Module test cases end to end (issue #17) with the real server (HTTPS registry), the real
 * worker, the real terraform, the AWS simulator provider and local git repositories:
 * - a module's `.spacelift/config.yml` `tests` run as TESTING runs at each version's commit:
 *   init, plan, apply, then always destroy (also after a failed apply);
 * - the simulator's settings reach the test runs through a context auto-attached to the module
 *   by label, as to stacks, and a PLAN policy attached to the module judges its test runs;
 * - a version whose test passes is offered, one whose test fails is FAILED and not picked by
 *   `~> 2.0`, and a test that cannot init names the test and the config file;
 * - the simulated cloud holds nothing afterwards: every test destroyed what it made;
 * - a version that passes its tests later does then what publishing does at once: its
 *   consumer's proposed run is queued (the module's triggerConsumers) and resolves it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModuleVersion } from "@gantry/contract";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSimulatorMirror } from "../../packages/providers/test/e2e/terraform-harness.js";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";
import { makeRepo, runLog, waitForRun, type Repo } from "../../apps/worker/test/fixtures.js";

const root = join(import.meta.dirname, "..", "..");
const execFileAsync = promisify(execFile);
const RUN_WAIT_MS = 240_000;

const simProvider = `terraform {
  required_providers {
    aws = { source = "gantry.dev/sim/aws" }
  }
}
`;

/** The module: a bucket. `broken` adds a second bucket of the same name, which the simulated cloud refuses at apply. */
const bucketModule = (broken: boolean) => ({
  "modules/bucket/main.tf": `${simProvider}variable "name" {\n  type = string\n}\nresource "aws_s3_bucket" "this" {\n  bucket = var.name\n}\n${broken ? `resource "aws_s3_bucket" "copy" {\n  bucket = var.name\n}\n` : ""}output "name" {\n  value = aws_s3_bucket.this.bucket\n}\n`,
});

const testConfig = (projectRoot: string) => `version: 1
tests:
  - name: basic
    project_root: ${projectRoot}
    environment:
      TF_VAR_name: module-test-bucket
`;

const example = {
  "modules/bucket/examples/basic/main.tf": `${simProvider}provider "aws" {\n  region = "us-east-1"\n}\nvariable "name" {\n  type = string\n}\nmodule "bucket" {\n  source = "../../"\n  name   = var.name\n}\n`,
};

/** Buckets left in the simulated cloud (one JSON file per account and region under simDir). */
function bucketsIn(simDir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(simDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files.flatMap((f) => Object.keys((JSON.parse(readFileSync(join(simDir, f), "utf8")) as { objects: Record<string, Record<string, unknown>> }).objects["aws_s3_bucket"] ?? {}));
}

describe("module test cases as TESTING runs with the real terraform and the AWS simulator", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let modules: Repo;
  let dir: string;
  let simDir: string;
  /** Started once the module's policy is attached, so no test run plans before it. */
  let startTheWorker: () => Promise<void>;

  const gantry = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await execFileAsync(join(root, "node_modules/.bin/tsx"), [join(root, "apps/cli/src/main.ts"), ...args, "-o", "json"], {
      env: { PATH: process.env.PATH, HOME: dir, GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey }, encoding: "utf8",
    });
    return JSON.parse(stdout) as unknown;
  };

  /** Waits for every test run of a version and answers the version as it is then. */
  const settledVersion = async (version: string): Promise<{ version: ModuleVersion; logs: string[] }> => {
    const v = await t.admin.call("getModuleVersion", { params: { id: "bucket", version } });
    const logs: string[] = [];
    for (const test of v.tests) {
      expect(test.runId, `test ${test.name} of ${version} has a run`).toBeTruthy();
      const r = await waitForRun(t.admin, test.runId!, undefined, RUN_WAIT_MS);
      logs.push(`${r.state} ${r.failureReason ?? ""}\n${await runLog(t.admin, r.id)}`);
    }
    return { version: await t.admin.call("getModuleVersion", { params: { id: "bucket", version } }), logs };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gantry-module-tests-e2e-"));
    simDir = join(dir, "sim");
    const { mirrorDir } = await buildSimulatorMirror();
    t = await startTestServer("sqlite", { settings: { httpsPort: 0 } });
    // v2.0.0: a working module and a test; v2.1.0: the module breaks at apply; v2.2.0: the test
    // points at a directory that does not exist, so it cannot init.
    modules = makeRepo({ "README.md": "modules\n", ...bucketModule(false), ...example, "modules/bucket/.spacelift/config.yml": testConfig("examples/basic") });
    modules.git("tag", "v2.0.0");
    modules.commit(bucketModule(true), "a copy of the bucket");
    modules.git("tag", "v2.1.0");
    modules.commit({ ...bucketModule(false), "modules/bucket/.spacelift/config.yml": testConfig("examples/missing") }, "move the example");
    modules.git("tag", "v2.2.0");
    await t.admin.call("createSpace", { body: { id: "platform", name: "platform", inheritEntities: true } });
    // The simulator's settings, auto-attached by label to the module (its test runs) and the consumer.
    const ctx = await t.admin.call("createContext", { body: { id: "aws-sim", name: "aws-sim", spaceId: "platform", labels: ["autoattach:uses-aws"] } });
    for (const [name, value] of Object.entries({ AWS_SIM_DIR: simDir, AWS_SIM_ALLOW_ANONYMOUS: "1", AWS_REGION: "us-east-1" })) {
      await t.admin.call("putContextVariable", { params: { id: ctx.id, name }, body: { value, writeOnly: false } });
    }
    const host = t.server.registry.host;
    const infra = makeRepo({
      "consumer/main.tf": `${simProvider}provider "aws" {\n  region = "us-east-1"\n}\nmodule "bucket" {\n  source  = "${host}/platform/bucket/aws"\n  version = "~> 2.0"\n  name    = "consumer-bucket"\n}\n`,
    });
    await t.admin.call("createStack", { body: { id: "consumer", name: "consumer", spaceId: "platform", repository: infra.path, projectRoot: "consumer", labels: ["uses-aws"] } });
    startTheWorker = async () => {
      worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: join(dir, "worker"), providerMirror: mirrorDir, claimWaitMs: 5000 });
      await worker.ready;
    };
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("tests each tagged version; only versions whose tests pass are offered", async () => {
    const created = (await gantry("module", "create", "--id", "bucket", "--name", "bucket", "--terraform-provider", "aws", "--namespace", "platform", "--repository", modules.path, "--project-root", "modules/bucket", "--space", "platform", "--label", "uses-aws")) as { id: string };
    expect(created.id).toBe("bucket");
    // A PLAN policy attached to the module itself judges its test runs (a warning does not hold them).
    await t.admin.call("createPolicy", { body: { id: "module-plan", name: "module-plan", spaceId: "platform", type: "PLAN", body: 'package spacelift\n\nwarn contains msg if {\n  some r in input.terraform.resource_changes\n  msg := sprintf("test creates %s", [r.address])\n}\n' } });
    await t.admin.call("attachModulePolicy", { params: { id: "bucket", entityId: "module-plan" } });
    await startTheWorker();
    // Waiting on its tests, a version is PENDING and not offered.
    const early = await t.admin.call("listModuleVersions", { params: { id: "bucket" } });
    expect(early.items.map((v) => [v.version, v.tests.map((x) => x.name)])).toEqual([["2.2.0", ["basic"]], ["2.1.0", ["basic"]], ["2.0.0", ["basic"]]]);

    const passed = await settledVersion("2.0.0");
    expect(passed.version.state, passed.logs.join("\n")).toBe("ACTIVE");
    expect(passed.version.tests[0]).toMatchObject({ name: "basic", projectRoot: "modules/bucket/examples/basic", runState: "FINISHED", outcome: "PASSED" });
    const passLog = passed.logs[0]!;
    expect(passLog).toContain("terraform apply");
    expect(passLog).toContain("terraform destroy -auto-approve");
    const passRun = await t.admin.call("getRun", { params: { id: passed.version.tests[0]!.runId! } });
    expect(passRun.history.map((h) => h.to)).toEqual(expect.arrayContaining(["INITIALIZING", "PLANNING", "APPLYING", "DESTROYING", "FINISHED"]));
    expect(passRun).toMatchObject({ type: "TESTING", stackId: "module:bucket" });
    expect(passRun.policyReceipts.map((r) => [r.policyId, r.outcome, r.messages["warn"]])).toEqual([["module-plan", "warn", ["test creates module.bucket.aws_s3_bucket.this"]]]);

    // The apply fails on the duplicate bucket; the test still destroys the one it made.
    const failed = await settledVersion("2.1.0");
    expect(failed.version.state, failed.logs.join("\n")).toBe("FAILED");
    expect(failed.version.tests[0]).toMatchObject({ runState: "FAILED", outcome: "FAILED" });
    expect(failed.logs[0]).toContain("BucketAlreadyOwnedByYou");
    expect(failed.logs[0]).toContain("terraform destroy -auto-approve");
    const failRun = await t.admin.call("getRun", { params: { id: failed.version.tests[0]!.runId! } });
    expect(failRun.history.map((h) => h.to)).toEqual(expect.arrayContaining(["APPLYING", "DESTROYING", "FAILED"]));

    const noInit = await settledVersion("2.2.0");
    expect(noInit.version.state).toBe("FAILED");
    const reason = (await t.admin.call("getRun", { params: { id: noInit.version.tests[0]!.runId! } })).failureReason;
    expect(reason).toContain(`module test "basic" (tests in modules/bucket/.spacelift/config.yml, project_root "modules/bucket/examples/missing") cannot init`);

    // Every test destroyed what it made (in the simulated cloud the tests did write to).
    expect(readdirSync(simDir, { recursive: true, encoding: "utf8" }).some((f) => f.endsWith(".json"))).toBe(true);
    expect(bucketsIn(simDir)).toEqual([]);

    // The CLI shows each version's state.
    const listed = (await gantry("module", "versions", "bucket")) as { version: string; state: string }[];
    expect(listed.map((v) => [v.version, v.state])).toEqual([["2.2.0", "FAILED"], ["2.1.0", "FAILED"], ["2.0.0", "ACTIVE"]]);
  }, 900_000);

  it("a consumer's ~> 2.0 skips the failed versions and resolves 2.0.0", async () => {
    const created = await t.admin.call("createRun", { params: { id: "consumer" }, body: { type: "PROPOSED" } });
    const r = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    const log = await runLog(t.admin, r.id);
    expect(r.state, `${r.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toMatch(/platform\/bucket\/aws 2\.0\.0 for bucket/);
    expect(log).not.toMatch(/2\.[12]\.0/);
  }, 600_000);

  it("offers failed versions when the module says so", async () => {
    await t.admin.call("updateModule", { params: { id: "bucket" }, body: { offerFailedVersions: true } });
    const created = await t.admin.call("createRun", { params: { id: "consumer" }, body: { type: "PROPOSED" } });
    const r = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    const log = await runLog(t.admin, r.id);
    expect(r.state, `${r.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toMatch(/platform\/bucket\/aws 2\.2\.0 for bucket/);
    await t.admin.call("updateModule", { params: { id: "bucket" }, body: { offerFailedVersions: false } });
  }, 600_000);

  it("a version that passes its tests later queues its consumer's proposed run, which resolves it", async () => {
    await t.admin.call("updateModule", { params: { id: "bucket" }, body: { triggerConsumers: "PROPOSED" } });
    modules.commit({ ...bucketModule(false), "modules/bucket/.spacelift/config.yml": testConfig("examples/basic") }, "fix the example");
    modules.git("tag", "v2.3.0");
    const published = await t.admin.call("publishModuleVersion", { params: { id: "bucket" }, body: { ref: "v2.3.0" } });
    expect(published.published.map((v) => [v.version, v.state, v.impact])).toEqual([["2.3.0", "PENDING", null]]);
    expect(published.impact).toEqual([]);
    const passed = await settledVersion("2.3.0");
    expect(passed.version.state, passed.logs.join("\n")).toBe("ACTIVE");
    // The reaction follows the commit of the test run's end: wait for it to be kept on the version.
    let impact = passed.version.impact;
    for (let i = 0; !impact && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      impact = (await t.admin.call("getModuleVersion", { params: { id: "bucket", version: "2.3.0" } })).impact;
    }
    expect(impact?.consumers.map((c) => [c.stackId, c.currentVersion, c.admits])).toEqual([["consumer", "2.2.0", true]]);
    expect(impact?.triggered.map((x) => [x.stackId, x.type, x.cause])).toEqual([["consumer", "PROPOSED", "triggerConsumers"]]);
    const r = await waitForRun(t.admin, impact!.triggered[0]!.runId, undefined, RUN_WAIT_MS);
    const log = await runLog(t.admin, r.id);
    expect(r.state, `${r.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toMatch(/platform\/bucket\/aws 2\.3\.0 for bucket/);
  }, 900_000);
});
