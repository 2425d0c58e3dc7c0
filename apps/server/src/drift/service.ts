import type { PutDriftDetection } from "@gantry/contract";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { scoped } from "../core.js";
import type { Db } from "../db/connect.js";
import { fromBool, now } from "../db/rows.js";
import { notFound } from "../errors.js";
import type { RunEngine } from "../runs/engine.js";
import { runFromRow } from "../runs/rows.js";
import type { RunService } from "../runs/service.js";
import { checkCronSchedule, nextFireTime } from "../schedules/cron.js";
import { queueDriftRun } from "./launch.js";
import { deleteDriftDetection, driftDetectionFromRow, findDriftDetection, saveDriftDetection } from "./repository.js";

export interface DriftServiceDeps {
  engine: RunEngine;
  runs: Pick<RunService, "enqueue">;
  /** The scheduler's clock (tests inject one). */
  clock: () => Date;
  /** Tells the drift scheduler a schedule changed, so it re-arms its alarm. */
  scheduleChanged?: () => void;
}

async function loadStack(db: Db, id: string) {
  const row = await db.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("stack", id);
  return row;
}

/** Drift detection settings of stacks, and drift checks on demand. */
export function driftService(deps: DriftServiceDeps) {
  const { engine } = deps;
  const { db } = engine.core;

  return {
    async get(actor: Principal, stackId: string) {
      const stack = await loadStack(db, stackId);
      await scoped(db).authz.require(actor, stack.space_id, "read", "reading a stack's drift detection");
      const row = await findDriftDetection(db, stackId);
      if (!row) throw notFound("drift detection of stack", stackId);
      return driftDetectionFromRow(row);
    },

    async put(actor: Principal, stackId: string, input: z.output<typeof PutDriftDetection>) {
      checkCronSchedule("schedule", input.schedule, input.timezone);
      const result = await engine.tx(async (trx) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", "setting a stack's drift detection");
        const at = now();
        const existing = await findDriftDetection(trx, stackId);
        const row = {
          stack_id: stackId, schedule: JSON.stringify(input.schedule), timezone: input.timezone, reconcile: fromBool(input.reconcile), ignore_state: fromBool(input.ignoreState),
          next_due_at: nextFireTime(input.schedule, input.timezone, deps.clock()).toISOString(), last_fired_at: existing?.last_fired_at ?? null,
          created_at: existing?.created_at ?? at, updated_at: at,
        };
        await saveDriftDetection(trx, row);
        await recordAudit(trx, actor, { action: "stack.drift_detection.put", targetType: "stack", targetId: stackId, spaceId: stack.space_id, payload: input });
        return driftDetectionFromRow(row);
      });
      deps.scheduleChanged?.();
      return result;
    },

    async delete(actor: Principal, stackId: string) {
      await engine.tx(async (trx) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", "removing a stack's drift detection");
        if (!(await deleteDriftDetection(trx, stackId))) throw notFound("drift detection of stack", stackId);
        await recordAudit(trx, actor, { action: "stack.drift_detection.delete", targetType: "stack", targetId: stackId, spaceId: stack.space_id });
      });
    },

    /** A drift detection run now, for a person (`gantry stack drift-check`), whatever the schedule. */
    async check(actor: Principal, stackId: string) {
      return engine.tx(async (trx, out) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", "checking a stack for drift");
        return runFromRow(await queueDriftRun(deps.runs, trx, out, actor, stack));
      });
    },
  };
}

export type DriftService = ReturnType<typeof driftService>;
