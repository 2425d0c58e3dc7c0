import type { RunDelta } from "@gantry/contract";
import { ulid } from "ulid";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { now, parseJson } from "../db/rows.js";
import type { DependencyEventsTable, RunsTable } from "../db/schema.js";
import type { Outbox, RunEngine } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";
import { describeBlockers, upstreamBlockers } from "./gate.js";
import { downstreamInOrder } from "./graph.js";
import { outputsChangedByRun } from "./outputs.js";
import { allEdges } from "./repository.js";

/** Upstream endings that skip the downstream runs waiting for them: the change they waited for did not happen. */
const skipping = new Set(["FAILED", "STOPPED", "SKIPPED"]);

/** The actor of runs the dispatcher queues, named after the upstream run that caused them. */
function dependencyActor(run: RunsTable): Principal {
  return { kind: "user", id: "dependencies", name: `dependency on ${run.stack_id} (run ${run.id})`, bindings: [] };
}

function hasChanges(run: RunsTable): boolean {
  if (!run.delta) return false;
  const d = parseJson<RunDelta>(run.delta);
  return d.added + d.changed + d.deleted > 0;
}

/**
 * Plugs stack dependencies into the run engine: queued TRACKED runs wait while an upstream is
 * changing, and a blocking run that ends leaves an event for the dispatcher in the same
 * transaction (so a restart loses no trigger), waking it once committed.
 */
export function installDependencyHooks(engine: RunEngine, wake: () => void): void {
  engine.dependencies = {
    mustWait: async (trx, stackId) => (await upstreamBlockers(trx, stackId)).length > 0,
    describeWait: async (db, stackId) => describeBlockers(await upstreamBlockers(db, stackId)),
    async blockingRunEnded(trx, out, run) {
      const dependent = await trx.selectFrom("stack_dependencies").select("id").where("depends_on_stack_id", "=", run.stack_id).limit(1).executeTakeFirst();
      if (!dependent) return;
      await trx.insertInto("dependency_events").values({ id: ulid(), run_id: run.id, created_at: now() }).execute();
      out.afterCommit.push(wake);
    },
  };
}

/**
 * Handles one ended upstream run: a TRACKED run that finished with changes queues a TRACKED run
 * of each direct dependent (unless one is queued already; with output references and none set
 * to trigger always, only if a referenced output changed); a failed, stopped or skipped one
 * skips the waiting TRACKED runs of every stack downstream with the reason. Then every stack downstream gets
 * a scheduling pass, so whatever may start now starts: the graph's full parallelism.
 */
async function handleEvent(engine: RunEngine, runs: Pick<RunService, "enqueue">, trx: Db, out: Outbox, ev: DependencyEventsTable): Promise<void> {
  const taken = await trx.deleteFrom("dependency_events").where("id", "=", ev.id).executeTakeFirst();
  if (Number(taken.numDeletedRows) !== 1) return;
  const run = await trx.selectFrom("runs").selectAll().where("id", "=", ev.run_id).executeTakeFirst();
  if (!run) return;
  const dependencies = await trx.selectFrom("stack_dependencies").selectAll().where("depends_on_stack_id", "=", run.stack_id).orderBy("stack_id").execute();
  if (run.state === "FINISHED" && run.type === "TRACKED") {
    // An output-only change is a change too (the resources stayed, a value the dependents read moved).
    const changedOutputs = new Set(await outputsChangedByRun(trx, engine.blobs, run.stack_id, run.id));
    if (hasChanges(run) || changedOutputs.size > 0) {
      for (const dep of dependencies) {
        const refs = await trx.selectFrom("stack_dependency_references").select(["output_name", "trigger_always"]).where("dependency_id", "=", dep.id).execute();
        const wanted = refs.length === 0 || refs.some((r) => r.trigger_always === 1 || changedOutputs.has(r.output_name));
        if (!wanted) continue;
        const stack = await trx.selectFrom("stacks").selectAll().where("id", "=", dep.stack_id).executeTakeFirstOrThrow();
        const queued = await trx.selectFrom("runs").select("id").where("stack_id", "=", stack.id).where("type", "=", "TRACKED").where("state", "=", "QUEUED").limit(1).executeTakeFirst();
        if (queued) continue; // it starts later, from the outputs this run wrote
        if (stack.locked_by) {
          engine.core.log.info({ stack: stack.id, upstreamRun: run.id }, "dependent stack is locked: not triggering it");
          continue;
        }
        await runs.enqueue(trx, out, dependencyActor(run), stack, { type: "TRACKED", commitSha: null, command: null, message: `triggered by ${run.stack_id} run ${run.id}` });
      }
    }
  } else if (skipping.has(run.state)) {
    const reason = `upstream stack ${run.stack_id} run ${run.id} ended ${run.state}${run.failure_reason ? `: ${run.failure_reason}` : ""}`;
    // Every stack downstream, not only the direct ones: a run two levels down waits for this one
    // too, and would start as soon as nothing upstream is in progress any more.
    for (const stackId of downstreamInOrder(await allEdges(trx), run.stack_id)) {
      const waiting = await trx.selectFrom("runs").select("id").where("stack_id", "=", stackId).where("type", "=", "TRACKED").where("state", "=", "QUEUED").orderBy("id").execute();
      for (const w of waiting) await engine.move(trx, out, w.id, { kind: "skip" }, "dependencies", { note: reason, set: { failure_reason: reason } });
    }
  }
  for (const stackId of downstreamInOrder(await allEdges(trx), run.stack_id)) await engine.promote(trx, out, stackId);
}

/** Handles every pending event, oldest first, one transaction each. */
export async function dispatchOnce(engine: RunEngine, runs: Pick<RunService, "enqueue">): Promise<number> {
  let handled = 0;
  for (;;) {
    const batch = await engine.core.db.selectFrom("dependency_events").selectAll().orderBy("id").limit(100).execute();
    if (batch.length === 0) return handled;
    for (const ev of batch) {
      await engine.tx((trx, out) => handleEvent(engine, runs, trx, out, ev));
      handled++;
    }
  }
}

/**
 * The dependency dispatcher: exclusive (one replica handles the events, in order), woken by the
 * commit that ended an upstream run; the interval only covers events whose wake-up went to
 * another replica.
 */
export function dependencyDispatcherSubsystem(engine: RunEngine, runs: Pick<RunService, "enqueue">, opts: { intervalMs?: number } = {}): PeriodicSubsystem {
  return periodic({ name: "dependency-dispatcher", mode: "exclusive", intervalMs: opts.intervalMs ?? 2_000, round: async () => void (await dispatchOnce(engine, runs)) });
}
