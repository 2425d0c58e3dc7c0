import type { DriftDetection } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import { parseJson, toBool } from "../db/rows.js";
import type { DriftDetectionsTable } from "../db/schema.js";

/** The one module that writes `drift_detections`. */

export function driftDetectionFromRow(r: DriftDetectionsTable): DriftDetection {
  return {
    stackId: r.stack_id, schedule: parseJson(r.schedule), timezone: r.timezone, reconcile: toBool(r.reconcile), ignoreState: toBool(r.ignore_state),
    nextRunAt: r.next_due_at, lastRunAt: r.last_fired_at, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function findDriftDetection(db: Db, stackId: string): Promise<DriftDetectionsTable | undefined> {
  return db.selectFrom("drift_detections").selectAll().where("stack_id", "=", stackId).executeTakeFirst();
}

/** Creates or replaces the stack's schedule. */
export async function saveDriftDetection(trx: Db, row: DriftDetectionsTable): Promise<void> {
  const { stack_id: _id, created_at: _created, ...changes } = row;
  const res = await trx.updateTable("drift_detections").set(changes).where("stack_id", "=", row.stack_id).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) await trx.insertInto("drift_detections").values(row).execute();
}

export async function deleteDriftDetection(trx: Db, stackId: string): Promise<boolean> {
  const res = await trx.deleteFrom("drift_detections").where("stack_id", "=", stackId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Schedules due at or before `at`, earliest first. */
export async function dueDriftDetections(db: Db, at: string, limit: number): Promise<DriftDetectionsTable[]> {
  return db.selectFrom("drift_detections").selectAll().where("next_due_at", "<=", at).orderBy("next_due_at").limit(limit).execute();
}

/** The earliest next fire time of any schedule, for the scheduler's alarm. */
export async function earliestDriftDue(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom("drift_detections").select("next_due_at").orderBy("next_due_at").limit(1).executeTakeFirst();
  return row?.next_due_at;
}

/**
 * Moves a schedule from the due time it fired at to its next one, only if no one did meanwhile:
 * the conditional update is what makes a due time fire once across replicas (a second firer,
 * even one that held the exclusive lock before a takeover, finds the row moved on and stops).
 */
export async function claimDriftDue(trx: Db, stackId: string, due: string, next: string): Promise<boolean> {
  const res = await trx.updateTable("drift_detections").set({ next_due_at: next, last_fired_at: due }).where("stack_id", "=", stackId).where("next_due_at", "=", due).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
