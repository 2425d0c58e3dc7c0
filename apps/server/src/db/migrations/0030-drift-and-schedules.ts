import type { Kysely } from "kysely";

/**
 * Drift detection and schedules (issue 15):
 * - `runs.drift_detection`: 1 on the PROPOSED runs a drift schedule (or `drift-check`) started.
 * - `stacks.drift_*`: the last drift run's finding; set by drift/, written through stacks/repository.ts.
 * - `drift_detections`: one schedule per stack; `next_due_at` is the next fire time (UTC, RFC 3339).
 * - `stack_schedules`: scheduled tasks, destroys and deletes; a fired one-shot task or destroy is
 *   removed; a scheduled delete keeps its row (next_due_at null, run_id its destroy run) until done.
 * - `policies_type`: queueing a run asks whether any APPROVAL policy exists before resolving the
 *   stack's policies (see runs/service.ts), once per scheduled run.
 * Fire times are compared as text: every value is `Date#toISOString()`, which sorts correctly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("runs").addColumn("drift_detection", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("stacks").addColumn("drift_detected_at", "text").execute();
  await db.schema.alterTable("stacks").addColumn("drift_resources", "text").execute();
  await db.schema.alterTable("stacks").addColumn("drift_run_id", "text").execute();
  await db.schema
    .createTable("drift_detections")
    .addColumn("stack_id", "text", (c) => c.primaryKey().references("stacks.id").onDelete("cascade"))
    .addColumn("schedule", "text", (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("reconcile", "integer", (c) => c.notNull())
    .addColumn("ignore_state", "integer", (c) => c.notNull())
    .addColumn("next_due_at", "text", (c) => c.notNull())
    .addColumn("last_fired_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("drift_detections_due").on("drift_detections").column("next_due_at").execute();
  await db.schema
    .createTable("stack_schedules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("stack_id", "text", (c) => c.notNull().references("stacks.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("cron", "text")
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("at", "text")
    .addColumn("command", "text")
    .addColumn("delete_resources", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_due_at", "text")
    .addColumn("last_fired_at", "text")
    .addColumn("run_id", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("stack_schedules_due").on("stack_schedules").column("next_due_at").execute();
  await db.schema.createIndex("policies_type").on("policies").column("type").execute();
  await db.schema.createIndex("stack_schedules_stack").on("stack_schedules").column("stack_id").execute();
}
