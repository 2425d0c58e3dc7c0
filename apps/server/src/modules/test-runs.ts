import type { ModuleVersion, ModuleVersionTest, RunState } from "@gantry/contract";
import { terminalRunStates } from "@gantry/contract";
import { ulid } from "ulid";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { now, toBool } from "../db/rows.js";
import type { ModulesTable, ModuleVersionsTable, ModuleVersionTestsTable, RunsTable } from "../db/schema.js";
import type { Outbox, RunEngine } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import type { ModuleTestCase } from "./test-cases.js";
import { syncModuleStack } from "./module-stack.js";
import { versionFromRow } from "./rows.js";
import { recordVersionActivated } from "./version-events.js";

/** Stores a version's test cases, in the transaction that stores the version (which starts PENDING). */
export async function recordTestCases(trx: Db, version: ModuleVersionsTable, cases: ModuleTestCase[]): Promise<void> {
  for (const c of cases) {
    await trx.insertInto("module_version_tests").values({
      id: ulid(), version_id: version.id, module_id: version.module_id, name: c.name, project_root: c.projectRoot, environment: JSON.stringify(c.environment),
      negative: c.negative ? 1 : 0, run_id: null, created_at: now(),
    }).execute();
  }
}

/** A test's outcome from its run: a negative test passes when its run fails; a run ended any other way fails the test. */
export function testOutcome(state: RunState | null, negative: boolean): ModuleVersionTest["outcome"] {
  if (state === null || !terminalRunStates.includes(state)) return "PENDING";
  if (state === "FINISHED") return negative ? "FAILED" : "PASSED";
  if (state === "FAILED") return negative ? "PASSED" : "FAILED";
  return "FAILED";
}

/** The version's state once every test has an outcome: ACTIVE when all passed, else FAILED; null while any is pending. */
export function versionStateAfterTests(outcomes: ModuleVersionTest["outcome"][]): "ACTIVE" | "FAILED" | null {
  if (outcomes.includes("PENDING")) return null;
  return outcomes.every((o) => o === "PASSED") ? "ACTIVE" : "FAILED";
}

/** The tests of each version (by version id) with their runs' states. */
export async function testsOfVersions(db: Db, versionIds: string[]): Promise<Map<string, ModuleVersionTest[]>> {
  const out = new Map<string, ModuleVersionTest[]>();
  if (versionIds.length === 0) return out;
  const rows = await db.selectFrom("module_version_tests").selectAll().where("version_id", "in", versionIds).orderBy("id").execute();
  const runIds = rows.map((r) => r.run_id).filter((id): id is string => id !== null);
  const states = new Map((runIds.length ? await db.selectFrom("runs").select(["id", "state"]).where("id", "in", runIds).execute() : []).map((r) => [r.id, r.state as RunState]));
  for (const r of rows) {
    const runState = r.run_id ? (states.get(r.run_id) ?? null) : null;
    const list = out.get(r.version_id) ?? [];
    list.push({ name: r.name, projectRoot: r.project_root, negative: toBool(r.negative), runId: r.run_id, runState, outcome: testOutcome(runState, toBool(r.negative)) });
    out.set(r.version_id, list);
  }
  return out;
}

/** Versions as the API shows them, with their tests. */
export async function versionsWithTests(db: Db, rows: ModuleVersionsTable[]): Promise<ModuleVersion[]> {
  const tests = await testsOfVersions(db, rows.map((r) => r.id));
  return rows.map((r) => versionFromRow(r, tests.get(r.id) ?? []));
}

/**
 * Queues one TESTING run per test case of a version, on the module's host stack (its worker
 * pool, contexts and policies), at the version's commit. Runs of one module take turns, as
 * blocking runs of a stack do.
 */
export function moduleTestRunner(engine: RunEngine, runs: Pick<RunService, "enqueue">, onActive?: (versionId: string) => Promise<unknown>) {
  const { db, log } = engine.core;

  async function queue(actor: Principal, m: ModulesTable, version: ModuleVersionsTable): Promise<void> {
    const tests = await db.selectFrom("module_version_tests").selectAll().where("version_id", "=", version.id).where("run_id", "is", null).orderBy("id").execute();
    if (tests.length === 0) return;
    await engine.tx(async (trx, out) => {
      const stack = await syncModuleStack(trx, m);
      for (const t of tests) {
        const message = `test ${JSON.stringify(t.name)} of ${m.id} ${version.version}`;
        const run = await runs.enqueue(trx, out, actor, stack, { type: "TESTING", commitSha: version.commit_sha, command: null, branch: m.branch, message, note: message });
        await trx.updateTable("module_version_tests").set({ run_id: run.id }).where("id", "=", t.id).execute();
      }
    });
    log.info({ module: m.id, version: version.version, tests: tests.map((t) => t.name) }, `module ${m.id}: testing ${version.version}`);
  }

  /**
   * Settles a version when the last of its test runs ends, inside the transaction that ended it
   * (so the verdict and the run's end commit together): PENDING becomes ACTIVE when every test
   * passed, FAILED otherwise. A version yanked meanwhile stays yanked. An ACTIVE verdict records
   * the module_version notification in the same transaction and, once it commits, does what
   * publishing an untested version does at once (consumers' runs, TRIGGER policies); a FAILED
   * one triggers nothing.
   */
  async function settled(trx: Db, out: Outbox, run: RunsTable): Promise<void> {
    if (run.type !== "TESTING") return;
    const test = await trx.selectFrom("module_version_tests").selectAll().where("run_id", "=", run.id).executeTakeFirst();
    if (!test) return;
    const version = await trx.selectFrom("module_versions").selectAll().where("id", "=", test.version_id).executeTakeFirst();
    if (!version || version.state !== "PENDING") return;
    const outcomes = (await testsOfVersions(trx, [version.id])).get(version.id) ?? [];
    // The run that just ended is read from the row being committed, not a stale look-up.
    const decided = versionStateAfterTests(outcomes.map((o) => (o.runId === run.id ? testOutcome(run.state as RunState, toBool(test.negative)) : o.outcome)));
    if (!decided) return;
    await trx.updateTable("module_versions").set({ state: decided }).where("id", "=", version.id).where("state", "=", "PENDING").execute();
    if (decided === "ACTIVE") {
      await recordVersionActivated(trx, { id: version.module_id, space_id: (await trx.selectFrom("modules").select("space_id").where("id", "=", version.module_id).executeTakeFirstOrThrow()).space_id }, version);
      if (onActive) out.followUps.push({ what: `reacting to version ${version.version} of module ${version.module_id} passing its tests`, run: () => onActive(version.id) });
    }
    log.info({ module: version.module_id, version: version.version, state: decided }, `module ${version.module_id}: version ${version.version} ${decided === "ACTIVE" ? "passed its tests" : "failed its tests"}`);
  }

  return { queue, settled };
}

export type ModuleTestRunner = ReturnType<typeof moduleTestRunner>;
export type { ModuleVersionTestsTable };
