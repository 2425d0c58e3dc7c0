import type { Logger } from "pino";
import type { Db } from "../db/connect.js";
import type { DriftDetectionsTable } from "../db/schema.js";
import type { Outbox, RunEngine } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import { nextFireTime } from "../schedules/cron.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";
import type { SubsystemContext } from "../subsystems/subsystem.js";
import { alarm } from "../subsystems/wake-at.js";
import { parseJson } from "../db/rows.js";
import { claimDriftDue, dueDriftDetections, earliestDriftDue } from "./repository.js";
import { driftActor, driftSkipReason, queueDriftRun } from "./launch.js";

/** Due schedules fired per transaction. */
const FIRE_BATCH = 50;

export interface DriftSchedulerOptions {
  clock: () => Date;
  /** Longest sleep between rounds: bounds how late a schedule set on another replica is seen. */
  maxSleepMs?: number;
  /** Rows read per query while catching up. */
  batch?: number;
}

/**
 * The drift scheduler: an exclusive subsystem that queues a drift detection run for every stack
 * whose schedule is due, then sleeps until the earliest next due time (an alarm, not a polling
 * tick, so a run is queued within milliseconds of its due time). Missed due times (the server was
 * down) fire once, not once per missed slot.
 */
export function driftSchedulerSubsystem(engine: RunEngine, runs: Pick<RunService, "enqueue">, opts: DriftSchedulerOptions): PeriodicSubsystem {
  const { db } = engine.core;
  const maxSleepMs = opts.maxSleepMs ?? 10_000;
  const batch = opts.batch ?? 500;
  const wakeUp = alarm(() => subsystem);

  /** Fires one due schedule inside the caller's transaction (a no-op if another firer got there first). */
  async function fire(trx: Db, out: Outbox, row: DriftDetectionsTable, at: Date, log: Logger): Promise<void> {
    const next = nextFireTime(parseJson<string[]>(row.schedule), row.timezone, at).toISOString();
    if (!(await claimDriftDue(trx, row.stack_id, row.next_due_at, next))) return;
    const stack = await trx.selectFrom("stacks").selectAll().where("id", "=", row.stack_id).executeTakeFirstOrThrow();
    const skip = await driftSkipReason(trx, stack, row.ignore_state === 1);
    if (skip) {
      log.info({ stack: stack.id, due: row.next_due_at }, `drift: skipped the check of stack ${stack.id} due at ${row.next_due_at}: ${skip}`);
      return;
    }
    const run = await queueDriftRun(runs, trx, out, driftActor, stack);
    log.debug({ stack: stack.id, run: run.id, due: row.next_due_at }, "drift: queued a drift detection run");
  }

  /**
   * Fires a batch in one transaction (one commit for many due stacks keeps due -> QUEUED short
   * when a whole hour's worth falls on one minute); if any of them fails, the batch rolls back
   * and each is fired on its own, so one broken schedule costs only itself.
   */
  async function fireAll(rows: DriftDetectionsTable[], at: Date, ctx: SubsystemContext): Promise<void> {
    for (let i = 0; i < rows.length && !ctx.signal.aborted; i += FIRE_BATCH) {
      const chunk = rows.slice(i, i + FIRE_BATCH);
      try {
        await engine.tx(async (trx, out) => {
          for (const row of chunk) await fire(trx, out, row, at, ctx.log);
        });
        continue;
      } catch {
        // Find the culprit one by one below.
      }
      for (const row of chunk) {
        try {
          await engine.tx((trx, out) => fire(trx, out, row, at, ctx.log));
        } catch (err) {
          ctx.log.error({ err, stack: row.stack_id }, `drift: checking stack ${row.stack_id} failed: ${(err as Error).message}`);
          // Move it on, so it does not fail again every round until its next due time.
          await engine.tx((trx) => claimDriftDue(trx, row.stack_id, row.next_due_at, nextFireTime(parseJson<string[]>(row.schedule), row.timezone, at).toISOString())).catch(() => undefined);
        }
      }
    }
  }

  const subsystem = periodic({
    name: "drift-scheduler",
    mode: "exclusive",
    intervalMs: maxSleepMs,
    async round(ctx) {
      const at = opts.clock();
      for (;;) {
        const due = await dueDriftDetections(db, at.toISOString(), batch);
        await fireAll(due, at, ctx);
        if (ctx.signal.aborted) return;
        if (due.length < batch) break;
      }
      const next = await earliestDriftDue(db);
      if (ctx.signal.aborted) wakeUp.clear();
      else wakeUp.set(next ? Date.parse(next) - opts.clock().getTime() : maxSleepMs, maxSleepMs);
    },
  });
  return subsystem;
}
