/**
 * A worker starting on a work dir removes the run directories of workers that died and leaves
 * those of live workers sharing the directory.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startWorker } from "../src/index.js";

describe("run directories at worker start", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("removes the dead workers' run directories and keeps the live ones", async () => {
    const workDir = mkdtempSync(join(tmpdir(), "gantry-workdir-"));
    dirs.push(workDir);
    const runs = join(workDir, "runs");
    // A pid that surely belonged to a process that has exited.
    const deadPid = spawnSync(process.execPath, ["-e", "0"]).pid;
    const dead = `run-01JDEAD0000000000000000000-${deadPid}-abc123`;
    const live = `run-01JLIVE0000000000000000000-${process.pid}-def456`;
    const legacyOld = "run-01JOLD00000000000000000000-ghi789";
    const legacyNew = "run-01JNEW00000000000000000000-jkl012";
    for (const d of [dead, live, legacyOld, legacyNew]) mkdirSync(join(runs, d, "workspace"), { recursive: true });
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(runs, legacyOld), hourAgo, hourAgo);

    const worker = startWorker({ serverUrl: "http://127.0.0.1:9", token: "gwp_x_y", workDir, onError: () => undefined });
    try {
      expect(readdirSync(runs).sort()).toEqual([legacyNew, live].sort());
    } finally {
      await worker.stop();
    }
  });
});
