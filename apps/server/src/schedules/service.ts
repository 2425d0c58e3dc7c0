import type { CreateSchedule } from "@gantry/contract";
import { ulid } from "ulid";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";
import type { StackSchedulesTable } from "../db/schema.js";
import { conflict, invalidField, notFound } from "../errors.js";
import { checkCronSchedule, nextFireTime } from "./cron.js";
import { deleteSchedule, findSchedule, insertSchedule, listSchedules, scheduleFromRow } from "./repository.js";

export interface ScheduleServiceDeps {
  core: Core;
  clock: () => Date;
  /** Tells the schedule runner a schedule changed, so it re-arms its alarm. */
  scheduleChanged?: () => void;
}

async function loadStack(db: Db, id: string) {
  const row = await db.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("stack", id);
  return row;
}

/** Checks which fields a kind of schedule takes; returns the first due time. */
function firstDue(input: z.output<typeof CreateSchedule>, at: Date): Date {
  if (input.kind === "TASK" && !input.command) throw invalidField(["command"], "a TASK schedule needs the command to run");
  if (input.kind !== "TASK" && input.command !== undefined) throw invalidField(["command"], `a ${input.kind} schedule runs no command: remove command`);
  if (input.kind !== "DELETE" && input.deleteResources !== undefined) throw invalidField(["deleteResources"], "deleteResources only applies to DELETE schedules");
  if (input.kind === "DELETE" && input.every) throw invalidField(["every"], "a stack is deleted once: give `at`, not `every`");
  if (input.every && input.at) throw invalidField(["at"], "give either `every` (recurring) or `at` (once), not both");
  if (!input.every && !input.at) throw invalidField(["at"], `a ${input.kind} schedule needs \`at\` (once)${input.kind === "DELETE" ? "" : " or `every` (recurring cron expressions)"}`);
  if (input.every) {
    checkCronSchedule("every", input.every, input.timezone);
    return nextFireTime(input.every, input.timezone, at);
  }
  const due = new Date(input.at!);
  if (due.getTime() <= at.getTime()) throw invalidField(["at"], `${input.at} is in the past (it is now ${at.toISOString()}): give a future time`);
  return due;
}

/** Scheduled tasks, destroys and deletes of stacks. */
export function scheduleService(deps: ScheduleServiceDeps) {
  const { db } = deps.core;
  return {
    async list(actor: Principal, stackId: string) {
      const stack = await loadStack(db, stackId);
      await scoped(db).authz.require(actor, stack.space_id, "read", "reading a stack's schedules");
      return { items: (await listSchedules(db, stackId)).map(scheduleFromRow) };
    },

    async get(actor: Principal, stackId: string, id: string) {
      const stack = await loadStack(db, stackId);
      await scoped(db).authz.require(actor, stack.space_id, "read", "reading a stack's schedules");
      const row = await findSchedule(db, stackId, id);
      if (!row) throw notFound("schedule", id);
      return scheduleFromRow(row);
    },

    async create(actor: Principal, stackId: string, input: z.output<typeof CreateSchedule>) {
      const result = await inTransaction(db, async (trx) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", `scheduling a ${input.kind.toLowerCase()} on a stack`);
        const due = firstDue(input, deps.clock());
        if (input.kind === "DELETE" && stack.protect_from_deletion === 1) throw conflict(`stack ${JSON.stringify(stackId)} is protected from deletion: set protectFromDeletion to false before scheduling its deletion`);
        const row: StackSchedulesTable = {
          id: ulid(), stack_id: stackId, kind: input.kind, cron: input.every ? JSON.stringify(input.every) : null, timezone: input.timezone, at: input.at ? due.toISOString() : null,
          command: input.command ?? null, delete_resources: input.kind === "DELETE" && input.deleteResources !== false ? 1 : 0, next_due_at: due.toISOString(),
          last_fired_at: null, run_id: null, created_by: actor.name, created_at: now(),
        };
        await insertSchedule(trx, row);
        await recordAudit(trx, actor, { action: "stack.schedule.create", targetType: "stack", targetId: stackId, spaceId: stack.space_id, payload: { id: row.id, ...input } });
        return scheduleFromRow(row);
      });
      deps.scheduleChanged?.();
      return result;
    },

    async delete(actor: Principal, stackId: string, id: string) {
      await inTransaction(db, async (trx) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", "removing a stack's schedule");
        if (!(await findSchedule(trx, stackId, id))) throw notFound("schedule", id);
        await deleteSchedule(trx, id);
        await recordAudit(trx, actor, { action: "stack.schedule.delete", targetType: "stack", targetId: stackId, spaceId: stack.space_id, payload: { id } });
      });
    },
  };
}

export type ScheduleService = ReturnType<typeof scheduleService>;
