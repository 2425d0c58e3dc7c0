/**
 * `npm run test:upgrade`: a database made by an older release upgrades in place. Builds the
 * older release from this repository's history (default: the last commit of the previous
 * release, a069aba, 2026-11-23; `-- --from <ref>` for another), runs its `gantry up` to create
 * a stack with managed state, a context with a write-only secret, a plan policy, applied runs and
 * their state versions, stops it, starts today's `gantry up` on the same data directory and key,
 * and checks that every stack, run, log, secret and state version survived and still works (a
 * new run reads the secret and continues the state; the old runs' policy receipts can still be
 * explained). Then the old release is started on the upgraded database and must refuse it,
 * changing nothing. Prints what it checked; exits 1 on any loss.
 *
 * Kept out of `npm test` because building and running two releases with real terraform takes
 * one to three minutes (see docs/deployment.md).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { GantryClient } from "@gantry/contract";
import { makeRepo, runLog, waitForRun } from "../../apps/worker/test/fixtures.js";
import { freePort } from "../postgres-server.js";
import { spawnGantry, type GantryProcess } from "../resilience/cluster.js";
import { checkOutOldRelease } from "./old-release.js";

const { values } = parseArgs({ options: { from: { type: "string", default: "a069aba" } } });
const SECRET = `upgr4de-s3cret-${randomBytes(4).toString("hex")}`;
const config = (greeting: string) => `
variable "greeting" {
  type = string
}
resource "terraform_data" "greeting" {
  input = "${greeting}: \${var.greeting}"
}
output "greeting" {
  value = terraform_data.greeting.output
}
`;

/** Whether `after` still holds everything `before` had (fields added by the new release allowed). */
function keeps(before: unknown, after: unknown): boolean {
  if (Array.isArray(before)) return Array.isArray(after) && before.length === after.length && before.every((b, i) => keeps(b, after[i]));
  if (before && typeof before === "object") {
    return !!after && typeof after === "object" && Object.entries(before).every(([k, v]) => keeps(v, (after as Record<string, unknown>)[k]));
  }
  return before === after;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
  console.log(`ok   ${what}`);
}

const old = checkOutOldRelease(values.from);
const dataDir = mkdtempSync(join(tmpdir(), "gantry-upgrade-"));
const repo = makeRepo({ "main.tf": config("one") });
const port = await freePort();
const env = { GANTRY_ENCRYPTION_KEY: randomBytes(32).toString("base64"), GANTRY_VCS_POLL_SECONDS: "0", GANTRY_LOG_LEVEL: "warn" };
const up = (cliMain?: string) => spawnGantry(["up", "--port", String(port), "--data-dir", dataDir], env, cliMain);
const processes: GantryProcess[] = [];
let failed = false;
try {
  console.log(`old release: ${old.commit.slice(0, 12)} (${old.root})`);
  const before = up(old.cliMain);
  processes.push(before);
  await before.waitFor(/press Ctrl\+C to stop/, 180_000);
  const url = `http://127.0.0.1:${port}`;
  const admin = new GantryClient({ baseUrl: url, token: readFileSync(join(dataDir, "admin-api-key"), "utf8").trim() });

  await admin.call("createContext", { body: { id: "shared", name: "shared" } });
  await admin.call("putContextVariable", { params: { id: "shared", name: "SECRET_TOKEN" }, body: { value: SECRET, writeOnly: true } });
  await admin.call("putContextVariable", { params: { id: "shared", name: "TF_VAR_greeting" }, body: { value: "hello-from-the-old-release" } });
  const stack = await admin.call("createStack", {
    body: { id: "kept", name: "kept", repository: repo.path, autodeploy: true, labels: ["upgrade"], hooks: { beforeInit: ['test "$SECRET_TOKEN" = "' + SECRET + '" && echo "secret reached the run"'] } },
  });
  await admin.call("attachContext", { params: { id: stack.id, entityId: "shared" }, body: {} });
  await admin.call("createPolicy", { body: { id: "watch", name: "watch", type: "PLAN", labels: ["autoattach:upgrade"], body: 'package spacelift\nimport rego.v1\n# Never fires: an old release would hold a warned run for confirmation.\ndeny contains sprintf("%s is not allowed", [rc.address]) if {\n  some rc in input.terraform.resource_changes\n  rc.type == "aws_iam_user"\n}\n' } });
  const oldRuns = [];
  for (const greeting of ["two", "three"]) {
    repo.commit({ "main.tf": config(greeting) }, greeting);
    const run = await waitForRun(admin, (await admin.call("createRun", { params: { id: stack.id }, body: {} })).id, undefined, 180_000);
    check(run.state === "FINISHED", `the old release applied run ${run.id} (${run.state} ${run.failureReason ?? ""})`);
    oldRuns.push(run);
  }
  const stacksNow = async () => (await admin.call("listStacks", { query: {} })).items.map(({ updatedAt: _u, state: _s, ...rest }) => rest);
  const snapshot = {
    stacks: await stacksNow(),
    context: await admin.call("getContext", { params: { id: "shared" } }),
    versions: (await admin.call("listStateVersions", { params: { id: stack.id } })).items,
    logs: await Promise.all(oldRuns.map((r) => runLog(admin, r.id))),
  };
  check(snapshot.versions.length >= 2, `the old release wrote ${snapshot.versions.length} state versions`);
  check(snapshot.logs.every((l) => l.includes("secret reached the run") && !l.includes(SECRET)), "the old runs received the secret, masked in their logs");
  await before.kill("SIGTERM");

  // Today's release on the same data directory and key.
  const after = up();
  processes.push(after);
  await after.waitFor(/press Ctrl\+C to stop/, 180_000);
  check(keeps(snapshot.stacks, await stacksNow()), `all ${snapshot.stacks.length} stacks survived with every field the old release knew`);
  const { updatedAt: _c, ...contextBefore } = snapshot.context;
  check(keeps(contextBefore, await admin.call("getContext", { params: { id: "shared" } })), "the context survived with its variables (the write-only one as its checksum)");
  for (const [i, r] of oldRuns.entries()) {
    const now = await admin.call("getRun", { params: { id: r.id } });
    check(now.state === "FINISHED" && now.commit.sha === r.commit.sha && now.history.length === r.history.length, `run ${r.id} survived: state, commit and ${r.history.length} transitions`);
    check((await runLog(admin, r.id)) === snapshot.logs[i], `run ${r.id}'s log survived`);
  }
  const versions = (await admin.call("listStateVersions", { params: { id: stack.id } })).items;
  check(JSON.stringify(versions) === JSON.stringify(snapshot.versions), `all ${versions.length} state versions survived (ids, serials, lineage, runs)`);
  repo.commit({ "main.tf": config("four") }, "four");
  const next = await waitForRun(admin, (await admin.call("createRun", { params: { id: stack.id }, body: {} })).id, undefined, 180_000);
  const nextLog = await runLog(admin, next.id);
  check(next.state === "FINISHED", `today's release applied a new run on the upgraded data (${next.state} ${next.failureReason ?? ""})`);
  check(nextLog.includes("secret reached the run") && !nextLog.includes(SECRET), "the secret written by the old release decrypts and reaches the new run, masked");
  // Receipts from before policy versions: traced with the policy's current body, and named so.
  const oldTrace = await admin.call("explainRunPolicy", { params: { id: oldRuns[1]!.id, policyId: "watch" }, query: {} });
  check(oldTrace.decidingVersion === null && /^[0-9a-f]{16}$/.test(oldTrace.tracedVersion) && oldTrace.trace.includes("Enter data.spacelift.deny"), `an old run's policy receipt is explained with the current body (traced version ${oldTrace.tracedVersion}, deciding version unknown)`);
  const newTrace = await admin.call("explainRunPolicy", { params: { id: next.id, policyId: "watch" }, query: {} });
  check(newTrace.decidingVersion === oldTrace.tracedVersion && newTrace.tracedVersion === newTrace.decidingVersion, "a new run's receipt names the kept body of the policy the old release created, and is traced with it");
  const newest = (await admin.call("listStateVersions", { params: { id: stack.id } })).items[0]!;
  check(newest.serial > snapshot.versions[0]!.serial && newest.lineage === snapshot.versions[0]!.lineage, `the state continued: serial ${snapshot.versions[0]!.serial} -> ${newest.serial}, same lineage`);
  await after.kill("SIGTERM");

  // A downgrade: the old release on the upgraded database must refuse to start.
  const downgrade = up(old.cliMain);
  processes.push(downgrade);
  const code = await downgrade.exited;
  const said = downgrade.output().trim().split("\n").slice(-3).join(" | ");
  check(code !== 0 && !/press Ctrl\+C to stop/.test(downgrade.output()), `the old release refuses the upgraded database (exit ${code}: ${said.slice(0, 300)})`);
  const again = up();
  processes.push(again);
  await again.waitFor(/press Ctrl\+C to stop/, 180_000);
  check((await admin.call("listStateVersions", { params: { id: stack.id } })).items[0]?.id === newest.id, "the refused downgrade changed nothing: today's release starts on it with the same newest state version");
  await again.kill("SIGTERM");
} catch (err) {
  failed = true;
  console.log(`LOST ${(err as Error).message}`);
  for (const p of processes) console.log(`--- output of a gantry process:\n${p.output().slice(-3000)}`);
} finally {
  await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  old.remove();
  rmSync(repo.path, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
