/**
 * terraform_version pins the worker lacks, with no release mirror: a range runs on the newest
 * installed version in it; an exact pin runs on a substitute only as the operator's fallback
 * setting allows, with a warning in the run log; a pin nothing satisfies fails, listing what is
 * installed and which settings to change. The tools directory's "1.5.7" wraps the real terraform.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, waitForRun, type Repo } from "./fixtures.js";

describe("terraform version pins without a release mirror (sqlite)", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: Repo;
  let pathVersion: string;

  beforeAll(async () => {
    const tools = mkdtempSync(join(tmpdir(), "gantry-tools-"));
    mkdirSync(join(tools, "terraform", "1.5.7"), { recursive: true });
    writeFileSync(join(tools, "terraform", "1.5.7", "terraform"), '#!/bin/sh\necho "tools-dir terraform 1.5.7" >&2\nexec terraform "$@"\n');
    chmodSync(join(tools, "terraform", "1.5.7", "terraform"), 0o755);
    t = await startTestServer("sqlite");
    repo = makeRepo({ "main.tf": 'output "v" {\n  value = "one"\n}\n', ".spacelift/config.yml": 'stacks:\n  from-config:\n    terraform_version: "1.7.0"\n  ranged:\n    terraform_version: "~> 1.5.0"\n' });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-fallback-")), toolsDir: tools, terraformVersionFallback: "same-major", claimWaitMs: 5000 });
    await worker.ready;
    const { execFileSync } = await import("node:child_process");
    pathVersion = (JSON.parse(execFileSync("terraform", ["version", "-json"], { encoding: "utf8" })) as { terraform_version: string }).terraform_version;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  const proposed = async (id: string, terraformVersion?: string) => {
    await t.admin.call("createStack", { body: { id, name: id, repository: repo.path, manageState: false, ...(terraformVersion ? { terraformVersion } : {}) } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id }, body: { type: "PROPOSED" } })).id);
    return { run, log: await runLog(t.admin, run.id) };
  };

  it("runs a Terraform-style range (from .spacelift/config.yml) on the newest installed version in it, without a warning", async () => {
    const { run, log } = await proposed("ranged");
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("tools-dir terraform 1.5.7");
    expect(log).not.toContain("warning:");
  });

  it("runs an exact pin it lacks on the newest installed same major, warning in the run log", async () => {
    const { run, log } = await proposed("pinned", "1.7.0");
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain(`warning: terraform 1.7.0 is not installed on this worker: running terraform ${pathVersion} instead, as the worker's terraform version fallback (same-major) allows`);
  });

  it("takes the pin from .spacelift/config.yml", async () => {
    const { run, log } = await proposed("from-config");
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("terraform_version 1.7.0 (stacks.from-config)");
    expect(log).toContain(`running terraform ${pathVersion} instead`);
  });

  it("fails a pin nothing satisfies, listing the installed versions and the settings to change", async () => {
    const { run } = await proposed("future", "2.0.0");
    expect(run.state).toBe("FAILED");
    expect(run.failureReason).toContain(`terraform 2.0.0 is not available on this worker (installed: ${pathVersion}, 1.5.7): change the stack's terraformVersion (or terraform_version in .spacelift/config.yml)`);
    expect(run.failureReason).toContain("GANTRY_RELEASE_MIRROR_URL");
    expect(run.failureReason).toContain("GANTRY_TERRAFORM_VERSION_FALLBACK=same-major");
  });
});
