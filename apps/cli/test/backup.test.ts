/**
 * `gantry admin backup` while a run executes on `gantry up`, and `gantry admin restore` into a
 * fresh data directory: refused without the encryption key and with a wrong one; with the right
 * key, the restored installation has its stacks, runs, state versions and readable secrets.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import { afterAll, describe, expect, it } from "vitest";
import { makeRepo, runLog, waitForRun } from "../../worker/test/fixtures.js";
import { runCli, serveCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "gantry-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const up = (dataDir: string) => serveCli(["up", "--port", "0", "--data-dir", dataDir], { env: { HOME: dir }, cwd: dir }, "press Ctrl+C to stop");
const urlOf = (out: string) => /Gantry is running at (http:\/\/\S+)/.exec(out)![1]!;

/** Applies slowly enough for a backup to be taken while terraform runs; reads a secret in a hook. */
const config = `
resource "terraform_data" "slow" {
  input = "restored"
  provisioner "local-exec" {
    command = "sleep 3"
  }
}
output "value" {
  value = terraform_data.slow.output
}
`;

describe("gantry admin backup and restore (embedded SQLite)", () => {
  it("backs up during a run and restores only with the right key, keeping stacks, runs, state and secrets", async () => {
    const repo = makeRepo({ "main.tf": config });
    const original = join(dir, "original");
    const first = await up(original);
    const url = urlOf(first.stdout);
    const key = /^\s+(gnt_\S+)$/m.exec(first.stdout)![1]!;
    const admin = new GantryClient({ baseUrl: url, token: key });
    const stack = await admin.call("createStack", { body: { name: "kept", repository: repo.path, autodeploy: true, hooks: { beforeInit: ['test "$DB_PASSWORD" = "s3cret-pa55" && echo secret-readable'] } } });
    await admin.call("putStackVariable", { params: { id: stack.id, name: "DB_PASSWORD" }, body: { value: "s3cret-pa55", writeOnly: true } });
    const done = await admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    expect((await waitForRun(admin, done.id, undefined, 90_000)).state, await runLog(admin, done.id)).toBe("FINISHED");

    // A second run is applying while the backup is taken.
    const busy = await admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await waitForRun(admin, busy.id, ["APPLYING", "FINISHED", "FAILED"], 90_000);
    const file = join(dir, "gantry-backup.db");
    const backup = await runCli(["admin", "backup", file, "--data-dir", original], { env: { HOME: dir }, cwd: dir });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`to ${file}`);
    expect(backup.stderr).toContain("does not contain the encryption key");
    expect(statSync(file).size).toBeGreaterThan(0);
    expect((await waitForRun(admin, busy.id, undefined, 90_000)).state).toBe("FINISHED");
    expect((await runCli(["admin", "backup", file, "--data-dir", original], { env: { HOME: dir }, cwd: dir })).stderr).toContain("already exists");
    expect((await first.stop()).code).toBe(0);

    const restored = join(dir, "restored");
    const noKey = await runCli(["admin", "restore", file, "--data-dir", restored], { env: { HOME: dir }, cwd: dir });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("restoring needs the encryption key");
    const wrongKey = await runCli(["admin", "restore", file, "--data-dir", restored, "--encryption-key", randomBytes(32).toString("base64")], { env: { HOME: dir }, cwd: dir });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain("the encryption key does not open this backup");
    const ok = await runCli(["admin", "restore", file, "--data-dir", restored, "--encryption-key-file", join(original, "encryption.key")], { env: { HOME: dir }, cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const again = await runCli(["admin", "restore", file, "--data-dir", restored, "--encryption-key-file", join(original, "encryption.key")], { env: { HOME: dir }, cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("pass --force");

    const second = await up(restored);
    expect(second.stdout).not.toContain("gnt_"); // the admin account came back with the data
    const back = new GantryClient({ baseUrl: urlOf(second.stdout), token: key });
    expect((await back.call("getStack", { params: { id: stack.id } })).name).toBe("kept");
    const runs = await back.call("listStackRuns", { params: { id: stack.id }, query: {} });
    // The backup holds the first run finished and the second as it was mid-apply (a committed state).
    expect(runs.items.find((r) => r.id === done.id)?.state).toBe("FINISHED");
    expect(runs.items.map((r) => r.id)).toContain(busy.id);
    const versions = await back.call("listStateVersions", { params: { id: stack.id } });
    expect(versions.items.length).toBeGreaterThanOrEqual(1);
    const state = await back.call("getStateVersion", { params: { id: stack.id, versionId: versions.items[0]!.id } });
    expect(JSON.stringify(state.state)).toContain("restored");
    // The write-only secret still decrypts: a new run's hook sees it.
    const after = await back.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    const end = await waitForRun(back, after.id, undefined, 90_000);
    const log = await runLog(back, after.id);
    expect(end.state, log).toBe("FINISHED");
    expect(log).toContain("secret-readable");
    expect((await second.stop()).code).toBe(0);
  }, 300_000);
});
