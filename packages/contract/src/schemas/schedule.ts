import { z } from "zod";
import { CronExpression, TimeZone } from "./drift.js";
import { Timestamp } from "./common.js";

/**
 * What a schedule does when due: TASK runs a command (Spacelift's `spacelift_scheduled_task`),
 * DESTROY queues a DESTROY run, DELETE deletes the stack, after destroying its resources when
 * `deleteResources` (Spacelift's `spacelift_scheduled_delete_stack`).
 */
export const ScheduleKind = z.enum(["TASK", "DESTROY", "DELETE"]);
export type ScheduleKind = z.infer<typeof ScheduleKind>;

export const Schedule = z.object({
  id: z.string(),
  stackId: z.string(),
  kind: ScheduleKind,
  command: z.string().nullable().describe("TASK: the command to run"),
  every: z.array(CronExpression).nullable().describe("recurring: cron expressions in `timezone`"),
  at: Timestamp.nullable().describe("one-shot: the time it is due"),
  timezone: z.string(),
  deleteResources: z.boolean().describe("DELETE: destroy the stack's resources before deleting it"),
  nextRunAt: Timestamp.nullable().describe("when it is next due; null while a scheduled delete waits for its destroy run"),
  lastRunAt: Timestamp.nullable().describe("the due time it last fired at"),
  lastRunId: z.string().nullable().describe("the run its last firing queued"),
  createdBy: z.string(),
  createdAt: Timestamp,
});
export type Schedule = z.infer<typeof Schedule>;

export const CreateSchedule = z.strictObject({
  kind: ScheduleKind,
  command: z.string().min(1).max(10_000).optional().describe("TASK only: the command"),
  every: z.array(CronExpression).min(1).max(50).optional().describe("TASK or DESTROY: recurring, on these cron expressions (give `every` or `at`)"),
  at: z.iso.datetime({ offset: true }).optional().describe("a one-shot due time, RFC 3339, in the future (DELETE: required)"),
  timezone: TimeZone.default("UTC"),
  deleteResources: z.boolean().optional().describe("DELETE only: destroy the resources first (default true), or only delete the stack"),
});
export type CreateSchedule = z.input<typeof CreateSchedule>;

export const ScheduleParams = z.strictObject({ id: z.string().min(1).max(256), scheduleId: z.string().min(1).max(64) });
