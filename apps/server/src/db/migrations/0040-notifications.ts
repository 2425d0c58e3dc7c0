import type { Kysely } from "kysely";

/**
 * Notifications (issue 18):
 * - `notification_events` is the outbox: a run transition writes its event in the same
 *   transaction as the transition, so no event is lost to a crash. The notification subsystem
 *   fans each event out (webhooks, NOTIFICATION policies, the inbox) in one transaction that also
 *   marks it `fanned_out_at`, so fan-out happens exactly once.
 * - `notification_deliveries` are the outward messages (webhook, Slack), each retried with
 *   backoff until delivered or out of attempts; `notification_delivery_attempts` records each try.
 * - `webhooks` are the endpoints (Spacelift's `spacelift_webhook` / `spacelift_named_webhook`).
 * - `notification_inbox` holds inbox messages; `notification_acks` who acknowledged which.
 * - `slack_integrations`: a bot token or incoming-webhook URL per space, both encrypted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("notification_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("space_id", "text")
    .addColumn("stack_id", "text")
    .addColumn("run_id", "text")
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("fanned_out_at", "text")
    .execute();
  await db.schema.createIndex("notification_events_pending").on("notification_events").columns(["fanned_out_at", "id"]).execute();

  await db.schema
    .createTable("webhooks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull())
    .addColumn("stack_id", "text")
    .addColumn("endpoint", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("secret_encrypted", "text")
    .addColumn("secret_checksum", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("slack_integrations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull())
    .addColumn("api_base_url", "text", (c) => c.notNull())
    .addColumn("bot_token_encrypted", "text")
    .addColumn("bot_token_checksum", "text")
    .addColumn("webhook_url_encrypted", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("notification_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull())
    // The event's kind and time, copied so an attempt never has to read the event.
    .addColumn("event_kind", "text", (c) => c.notNull())
    .addColumn("event_at", "text", (c) => c.notNull())
    .addColumn("target_kind", "text", (c) => c.notNull())
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema.createIndex("notification_deliveries_due").on("notification_deliveries").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("notification_deliveries_target").on("notification_deliveries").columns(["target_kind", "target_id", "id"]).execute();

  await db.schema
    .createTable("notification_delivery_attempts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("delivery_id", "text", (c) => c.notNull().references("notification_deliveries.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("response_code", "integer")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("response_body", "text", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("notification_delivery_attempts_delivery").on("notification_delivery_attempts").columns(["delivery_id", "id"]).execute();

  await db.schema
    .createTable("notification_inbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull())
    .addColumn("stack_id", "text")
    .addColumn("run_id", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("notification_inbox_space").on("notification_inbox").columns(["space_id", "id"]).execute();

  await db.schema
    .createTable("notification_acks")
    .addColumn("notification_id", "text", (c) => c.notNull().references("notification_inbox.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_acks_pk", ["notification_id", "user_id"])
    .execute();
}
