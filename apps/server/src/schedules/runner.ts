import type { Logger } from "pino";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { parseJson } from "../db/rows.js";
import type { RunsTable, StackSchedulesTable, StacksTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { Outbox, RunEngine } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import { deleteStackRows } from "../stacks/repository.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";
import { alarm } from "../subsystems/wake-at.js";
import { nextFireTime } from "./cron.js";
import { claimScheduleDue, deleteSchedule, dueSchedules, earliestScheduleDue, scheduleDeleteAfterDestroy, setScheduleRun } from "./repository.js";

export interface ScheduleRunnerOptions {
  clock: () => Date;
  maxSleepMs?: number;
  batch?: number;
}

/** Who acts when a schedule fires: shown as the run's `triggeredBy` and in the audit trail. */
const scheduleActor = (row: StackSchedulesTable): Principal => ({ kind: "user", id: "scheduler", name: `schedule:${row.id} (by ${row.created_by})`, bindings: [] });

/** How long a scheduled delete waits before trying again while a run of the stack executes. */
const DELETE_RETRY_MS = 60_000;

/**
 * The schedule runner: an exclusive subsystem firing due scheduled tasks, destroys and deletes,
 * then sleeping until the earliest next due time. A due time is claimed (the row moved on) in the
 * same transaction as its effect, so it fires exactly once across replicas; a holder that dies
 * mid-firing rolls back and the replica taking over fires it.
 */
export function scheduleRunnerSubsystem(engine: RunEngine, runs: Pick<RunService, "enqueue">, opts: ScheduleRunnerOptions): PeriodicSubsystem {
  const { db } = engine.core;
  const maxSleepMs = opts.maxSleepMs ?? 10_000;
  const batch = opts.batch ?? 500;
  const wakeUp = alarm(() => subsystem);

  /** The next due time of a recurring schedule; null for a one-shot one. */
  const nextOf = (row: StackSchedulesTable, at: Date) => (row.cron ? nextFireTime(parseJson<string[]>(row.cron), row.timezone, at).toISOString() : null);

  async function queue(trx: Db, out: Outbox, row: StackSchedulesTable, stack: StacksTable, log: Logger): Promise<RunsTable | null> {
    if (stack.locked_by) {
      log.info({ schedule: row.id, stack: stack.id }, `schedule ${row.id}: stack ${stack.id} is locked by ${stack.locked_by}: ${row.kind} due at ${row.next_due_at} skipped`);
      return null;
    }
    const type = row.kind === "TASK" ? "TASK" : "DESTROY";
    return runs.enqueue(trx, out, scheduleActor(row), stack, { type, commitSha: null, command: row.command, note: `scheduled ${row.kind.toLowerCase()} (schedule ${row.id}, due ${row.next_due_at})` });
  }

  async function fire(row: StackSchedulesTable, at: Date, log: Logger): Promise<void> {
    const due = row.next_due_at!;
    await engine.tx(async (trx, out) => {
      const deleting = row.kind === "DELETE";
      if (!(await claimScheduleDue(trx, row.id, due, deleting ? null : nextOf(row, at), row.run_id))) return;
      const stack = await trx.selectFrom("stacks").selectAll().where("id", "=", row.stack_id).executeTakeFirstOrThrow();
      if (!deleting) {
        const run = await queue(trx, out, row, stack, log);
        if (run) await setScheduleRun(trx, row.id, run.id);
        if (!row.cron) await deleteSchedule(trx, row.id);
        return;
      }
      if (stack.protect_from_deletion === 1) {
        log.warn({ schedule: row.id, stack: stack.id }, `schedule ${row.id}: stack ${stack.id} is protected from deletion: not deleted (remove the schedule, or unprotect the stack and schedule again)`);
        return;
      }
      if (row.delete_resources === 1 && row.run_id === null) {
        // Destroy first; the stack is deleted when that run finishes (see scheduleOutcome).
        const run = await queue(trx, out, row, stack, log);
        if (run) await setScheduleRun(trx, row.id, run.id);
        return;
      }
      await deleteStackRows(trx, stack.id);
      await recordAudit(trx, scheduleActor(row), { action: "stack.delete", targetType: "stack", targetId: stack.id, spaceId: stack.space_id, payload: { schedule: row.id } });
      log.info({ schedule: row.id, stack: stack.id }, `schedule ${row.id}: stack ${stack.id} deleted`);
    });
  }

  const subsystem = periodic({
    name: "schedule-runner",
    mode: "exclusive",
    intervalMs: maxSleepMs,
    async round(ctx) {
      const at = opts.clock();
      for (;;) {
        const due = await dueSchedules(db, at.toISOString(), batch);
        for (const row of due) {
          if (ctx.signal.aborted) return;
          try {
            await fire(row, at, ctx.log);
          } catch (err) {
            // A run of the stack executes (a delete must wait), or the row is broken: try again later.
            const retry = new Date(at.getTime() + DELETE_RETRY_MS).toISOString();
            const why = err instanceof AppError ? err.message : `${(err as Error).message} (unexpected)`;
            ctx.log.warn({ err, schedule: row.id }, `schedule ${row.id} of stack ${row.stack_id} could not fire: ${why}; trying again at ${retry}`);
            await engine.tx((trx) => claimScheduleDue(trx, row.id, row.next_due_at!, retry, row.run_id)).catch(() => undefined);
          }
        }
        if (due.length < batch) break;
      }
      const next = await earliestScheduleDue(db);
      if (ctx.signal.aborted) wakeUp.clear();
      else wakeUp.set(next ? Date.parse(next) - opts.clock().getTime() : maxSleepMs, maxSleepMs);
    },
  });
  return subsystem;
}

/**
 * The outcome hook of scheduled deletes: when the destroy run a scheduled delete queued finishes,
 * the schedule is due again at once and the runner deletes the stack. A failed destroy leaves the
 * stack in place (its schedule shows the run) rather than deleting a stack whose resources live on.
 */
export function scheduleOutcome(clock: () => Date, wake: () => void) {
  return async (trx: Db, _out: Outbox, run: RunsTable): Promise<void> => {
    if (run.type !== "DESTROY" || run.state !== "FINISHED") return;
    if (await scheduleDeleteAfterDestroy(trx, run.id, clock().toISOString())) setImmediate(wake);
  };
}
