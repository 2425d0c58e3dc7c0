/**
 * Moving a stack onto Gantry, as docs/migrating-from-spacelift.md shows it, with the real
 * terraform and the real `gantry` command: state applied elsewhere (a local backend standing in
 * for S3 or Spacelift's download) is imported, the stack then plans no changes, and export gives
 * the same state back for `terraform state push`.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliOptions } from "../../cli/test/run-cli.js";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, simpleConfig, waitForRun, type Repo } from "./fixtures.js";

describe("migrating a stack's state with gantry stack state import/export (sqlite)", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: Repo;
  let cli: CliOptions;
  let elsewhere: string;

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    repo = makeRepo({ "main.tf": simpleConfig });
    // The stack as it ran before: applied with terraform's local backend.
    elsewhere = mkdtempSync(join(tmpdir(), "gantry-elsewhere-"));
    cpSync(join(repo.path, "main.tf"), join(elsewhere, "main.tf"));
    const tf = (...args: string[]) => execFileSync("terraform", args, { cwd: elsewhere, env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" }, encoding: "utf8" });
    tf("init", "-input=false", "-no-color");
    tf("apply", "-input=false", "-no-color", "-auto-approve");
    const scratch = mkdtempSync(join(tmpdir(), "gantry-cli-home-"));
    cli = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: scratch, XDG_CONFIG_HOME: join(scratch, "xdg") }, cwd: elsewhere };
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-migrate-")), claimWaitMs: 5000 });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  it("imports the state, plans no changes, and exports the same state", async () => {
    const before = JSON.parse(readFileSync(join(elsewhere, "terraform.tfstate"), "utf8")) as { lineage: string; serial: number; resources: unknown[] };
    await t.admin.call("createStack", { body: { id: "moved", name: "moved", repository: repo.path, manageState: true } });

    const imported = await runCli(["stack", "state", "import", "moved", "terraform.tfstate"], cli);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`serial ${before.serial}, lineage ${before.lineage}`);

    // What to check before switching runs over: a plan with no changes.
    const plan = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "moved" }, body: { type: "PROPOSED" } })).id);
    const log = await runLog(t.admin, plan.id);
    expect(plan.state, `${plan.failureReason}\n${log}`).toBe("FINISHED");
    expect(plan.delta).toMatchObject({ added: 0, changed: 0, deleted: 0 });
    expect(log).toContain("No changes.");

    const exported = await runCli(["stack", "state", "export", "moved"], cli);
    expect(exported.code, exported.stderr).toBe(0);
    const after = JSON.parse(exported.stdout) as typeof before;
    expect(after).toMatchObject({ lineage: before.lineage, serial: before.serial });
    expect(after.resources).toEqual(before.resources);
    // Another state is refused without --force. Independent commands run side by side (each child is a TypeScript start-up).
    writeFileSync(join(elsewhere, "other.tfstate"), JSON.stringify({ ...before, lineage: "another-lineage", serial: 1 }));
    const [bySerial, missing, other, notJson] = await Promise.all([
      runCli(["stack", "state", "export", "moved", "--serial", String(before.serial)], cli),
      runCli(["stack", "state", "export", "moved", "--serial", "999"], cli),
      runCli(["stack", "state", "import", "moved", "other.tfstate"], cli),
      runCli(["stack", "state", "import", "moved", "main.tf"], cli),
    ]);
    expect(JSON.parse(bySerial.stdout)).toMatchObject({ lineage: before.lineage });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no state version with serial or id 999");
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("already has state of lineage");
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("cannot read main.tf as a terraform state (JSON)");
  }, 180_000);
});
