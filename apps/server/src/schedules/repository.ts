import type { Schedule, ScheduleKind } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import { parseJson, toBool } from "../db/rows.js";
import type { StackSchedulesTable } from "../db/schema.js";

/** The one module that writes `stack_schedules`. */

export function scheduleFromRow(r: StackSchedulesTable): Schedule {
  return {
    id: r.id, stackId: r.stack_id, kind: r.kind as ScheduleKind, command: r.command, every: r.cron ? parseJson<string[]>(r.cron) : null, at: r.at,
    timezone: r.timezone, deleteResources: toBool(r.delete_resources), nextRunAt: r.next_due_at, lastRunAt: r.last_fired_at, lastRunId: r.run_id,
    createdBy: r.created_by, createdAt: r.created_at,
  };
}

export async function insertSchedule(trx: Db, row: StackSchedulesTable): Promise<void> {
  await trx.insertInto("stack_schedules").values(row).execute();
}

export function listSchedules(db: Db, stackId: string): Promise<StackSchedulesTable[]> {
  return db.selectFrom("stack_schedules").selectAll().where("stack_id", "=", stackId).orderBy("id").execute();
}

export function findSchedule(db: Db, stackId: string, id: string): Promise<StackSchedulesTable | undefined> {
  return db.selectFrom("stack_schedules").selectAll().where("stack_id", "=", stackId).where("id", "=", id).executeTakeFirst();
}

export async function deleteSchedule(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom("stack_schedules").where("id", "=", id).execute();
}

export function dueSchedules(db: Db, at: string, limit: number): Promise<StackSchedulesTable[]> {
  return db.selectFrom("stack_schedules").selectAll().where("next_due_at", "<=", at).orderBy("next_due_at").limit(limit).execute();
}

export async function earliestScheduleDue(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom("stack_schedules").select("next_due_at").where("next_due_at", "is not", null).orderBy("next_due_at").limit(1).executeTakeFirst();
  return row?.next_due_at ?? undefined;
}

/**
 * Takes a due time for firing, only if nobody did meanwhile: moves the row to `next` (null: no
 * further time of its own) and records what fired. Done in the transaction that carries the
 * firing's effect, so each due time fires once across replicas, even across a takeover.
 */
export async function claimScheduleDue(trx: Db, id: string, due: string, next: string | null, runId: string | null = null): Promise<boolean> {
  const res = await trx.updateTable("stack_schedules").set({ next_due_at: next, last_fired_at: due, run_id: runId }).where("id", "=", id).where("next_due_at", "=", due).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Records the run a claimed firing queued. */
export async function setScheduleRun(trx: Db, id: string, runId: string): Promise<void> {
  await trx.updateTable("stack_schedules").set({ run_id: runId }).where("id", "=", id).execute();
}

/** A scheduled delete whose destroy run finished: due again now, to delete the stack. */
export async function scheduleDeleteAfterDestroy(trx: Db, runId: string, at: string): Promise<boolean> {
  const res = await trx.updateTable("stack_schedules").set({ next_due_at: at }).where("kind", "=", "DELETE").where("run_id", "=", runId).where("next_due_at", "is", null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
