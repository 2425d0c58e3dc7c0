/**
 * A pinned terraform version missing on the worker is downloaded from a release mirror and
 * checked against its SHA-256 sums file; a tampered download fails the run and says why.
 * The mirror is a local HTTP server serving zips (their "terraform" and "tofu" wrap the real terraform).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, waitForRun } from "./fixtures.js";

/** Publishes `<name>_<version>_linux_amd64.zip` (a script wrapping the real terraform) and its SHA256SUMS. */
function publish(root: string, version: string, tamper: boolean, name: "terraform" | "tofu" = "terraform"): void {
  const dir = join(root, name, version);
  mkdirSync(dir, { recursive: true });
  const build = mkdtempSync(join(tmpdir(), "gantry-tf-build-"));
  writeFileSync(join(build, name), `#!/bin/sh\necho "mirrored ${name} ${version}" >&2\nexec terraform "$@"\n`);
  chmodSync(join(build, name), 0o755);
  const zip = `${name}_${version}_linux_amd64.zip`;
  execFileSync("zip", ["-q", join(dir, zip), name], { cwd: build });
  const sum = tamper ? "0".repeat(64) : createHash("sha256").update(readFileSync(join(dir, zip))).digest("hex");
  writeFileSync(join(dir, `${name}_${version}_SHA256SUMS`), `${sum}  ${zip}\n${"1".repeat(64)}  ${name}_${version}_darwin_arm64.zip\n`);
}

describe("binary download from a release mirror", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let mirror: Server;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), "gantry-mirror-"));
    publish(root, "9.9.9", false);
    publish(root, "9.9.8", true);
    publish(root, "1.8.0", false, "tofu");
    mirror = createServer((req, res) => {
      try {
        res.end(readFileSync(join(root, decodeURIComponent(req.url ?? "/").replace(/\.\./g, ""))));
      } catch {
        res.statusCode = 404;
        res.end("not found");
      }
    });
    await new Promise<void>((r) => mirror.listen(0, "127.0.0.1", r));
    const port = (mirror.address() as { port: number }).port;
    t = await startTestServer("sqlite");
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-mirror-")), releaseMirrorUrl: `http://127.0.0.1:${port}` });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    mirror?.close();
  });

  it("downloads, verifies and uses a pinned version", async () => {
    const repo = makeRepo();
    const s = await t.admin.call("createStack", { body: { name: "mirrored", repository: repo.path, manageState: false, terraformVersion: "9.9.9" } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } })).id);
    const log = await runLog(t.admin, run.id);
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("mirrored terraform 9.9.9");
    expect(log).toMatch(/tools\/terraform\/9\.9\.9\/terraform init/);
  });

  // OpenTofu is not installed here (Debian does not package it and only npm and Debian are
  // reachable), so the OPEN_TOFU path is covered by a mirrored "tofu" that wraps terraform.
  it("runs an OPEN_TOFU stack with the tofu binary downloaded for its pinned version", async () => {
    const repo = makeRepo();
    const s = await t.admin.call("createStack", { body: { name: "tofu", repository: repo.path, manageState: false, workflowTool: "OPEN_TOFU", terraformVersion: "1.8.0" } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } })).id);
    const log = await runLog(t.admin, run.id);
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("mirrored tofu 1.8.0");
    expect(log).toMatch(/tools\/tofu\/1\.8\.0\/tofu plan/);
    const unpinned = await t.admin.call("createStack", { body: { name: "tofu-unpinned", repository: repo.path, manageState: false, workflowTool: "OPEN_TOFU" } });
    const failed = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: unpinned.id }, body: { type: "PROPOSED" } })).id);
    expect(failed.failureReason).toMatch(/tofu is not installed on this worker/);
  });

  it("refuses a download whose checksum does not match", async () => {
    const repo = makeRepo();
    const s = await t.admin.call("createStack", { body: { name: "tampered", repository: repo.path, manageState: false, terraformVersion: "9.9.8" } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } })).id);
    expect(run.state).toBe("FAILED");
    expect(run.failureReason).toMatch(/SHA-256 of terraform_9\.9\.8_linux_amd64\.zip .* is [0-9a-f]{64}, not 0{64}/);
    const missing = await t.admin.call("createStack", { body: { name: "absent", repository: repo.path, manageState: false, terraformVersion: "9.0.0" } });
    const r2 = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: missing.id }, body: { type: "PROPOSED" } })).id);
    expect(r2.failureReason).toMatch(/not on the release mirror.*404/);
  });
});
