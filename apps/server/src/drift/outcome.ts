import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import type { Outbox, RunEngine } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import { clearStackDrift, markStackDrifted } from "../stacks/repository.js";
import { findDriftDetection } from "./repository.js";
import { driftActor } from "./launch.js";

/** Resource addresses a plan would change (its drift), from the plan JSON the worker uploaded. */
async function changedResources(engine: RunEngine, trx: Db, runId: string): Promise<string[]> {
  const json = await engine.blobs.latest(trx, "run", runId, "plan-json");
  if (!json) return [];
  const plan = JSON.parse(json.toString("utf8")) as { resource_changes?: { address: string; change: { actions: string[] } }[]; changes?: { address: string }[] };
  // Kubernetes and Ansible documents list their changes with addresses of their own (docs/vendors.md).
  if (!plan.resource_changes && Array.isArray(plan.changes)) return plan.changes.map((c) => c.address);
  return (plan.resource_changes ?? []).filter((c) => !c.change.actions.every((a) => a === "no-op" || a === "read")).map((c) => c.address);
}

/**
 * What a finished drift detection run means, in the transaction that finished it: changes mark
 * the stack drifted (resources and time) and, with `reconcile`, queue a TRACKED run to put
 * reality back; no changes clear the mark. A drift run that failed says nothing about drift.
 */
export function driftOutcome(engine: RunEngine, runs: Pick<RunService, "enqueue">) {
  return async (trx: Db, out: Outbox, run: RunsTable): Promise<void> => {
    if (run.drift_detection !== 1 || run.state !== "FINISHED") return;
    const delta = run.delta ? (JSON.parse(run.delta) as { added: number; changed: number; deleted: number }) : null;
    if (!delta || delta.added + delta.changed + delta.deleted === 0) {
      await clearStackDrift(trx, run.stack_id);
      return;
    }
    await markStackDrifted(trx, run.stack_id, { runId: run.id, resources: await changedResources(engine, trx, run.id), at: run.updated_at });
    const settings = await findDriftDetection(trx, run.stack_id);
    if (!settings || settings.reconcile !== 1) return;
    const stack = await trx.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirstOrThrow();
    if (stack.locked_by) {
      engine.core.log.warn({ stack: stack.id, run: run.id }, `drift: stack ${stack.id} drifted but is locked by ${stack.locked_by}: no reconcile run`);
      return;
    }
    await runs.enqueue(trx, out, driftActor, stack, { type: "TRACKED", commitSha: null, command: null, note: `reconcile drift found by run ${run.id}` });
  };
}
