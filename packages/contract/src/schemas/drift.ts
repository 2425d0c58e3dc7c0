import { z } from "zod";
import { Timestamp } from "./common.js";

/** A cron expression (5 fields, or 6 with seconds); checked by the server's cron parser. */
export const CronExpression = z.string().min(1).max(200).describe("cron expression, e.g. `0 * * * *` (every hour)");

/** An IANA time zone name; checked by the server. */
export const TimeZone = z.string().min(1).max(100).describe("IANA time zone the cron expressions are read in, e.g. Europe/Paris");

/** A stack's drift detection schedule (Spacelift's `spacelift_drift_detection`). */
export const DriftDetection = z.object({
  stackId: z.string(),
  schedule: z.array(CronExpression),
  timezone: z.string(),
  reconcile: z.boolean().describe("when a drift run finds changes, queue a TRACKED run to put reality back"),
  ignoreState: z.boolean().describe("run even when the stack is not FINISHED (failed, unconfirmed, ...)"),
  nextRunAt: Timestamp.describe("when the next drift detection run is due"),
  lastRunAt: Timestamp.nullable().describe("the due time of the last scheduled drift run"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DriftDetection = z.infer<typeof DriftDetection>;

export const PutDriftDetection = z.strictObject({
  schedule: z.array(CronExpression).min(1, "give at least one cron expression").max(50),
  timezone: TimeZone.default("UTC"),
  reconcile: z.boolean().default(false),
  ignoreState: z.boolean().default(false),
});
export type PutDriftDetection = z.input<typeof PutDriftDetection>;
