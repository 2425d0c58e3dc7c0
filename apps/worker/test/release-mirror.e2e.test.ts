/**
 * A pinned terraform version missing on the worker is downloaded from a release mirror and
 * checked against its SHA-256 sums file; a tampered download fails the run and says why.
 * The mirror is a local HTTP server serving a zip (its "terraform" wraps the real binary).
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

function publish(root: string, version: string, tamper: boolean): void {
  const dir = join(root, "terraform", version);
  mkdirSync(dir, { recursive: true });
  const build = mkdtempSync(join(tmpdir(), "gantry-tf-build-"));
  writeFileSync(join(build, "terraform"), `#!/bin/sh\necho "mirrored terraform ${version}" >&2\nexec terraform "$@"\n`);
  chmodSync(join(build, "terraform"), 0o755);
  const zip = `terraform_${version}_linux_amd64.zip`;
  execFileSync("zip", ["-q", join(dir, zip), "terraform"], { cwd: build });
  const sum = tamper ? "0".repeat(64) : createHash("sha256").update(readFileSync(join(dir, zip))).digest("hex");
  writeFileSync(join(dir, `terraform_${version}_SHA256SUMS`), `${sum}  ${zip}\n${"1".repeat(64)}  terraform_${version}_darwin_arm64.zip\n`);
}

describe("binary download from a release mirror", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let mirror: Server;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), "gantry-mirror-"));
    publish(root, "9.9.9", false);
    publish(root, "9.9.8", true);
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
