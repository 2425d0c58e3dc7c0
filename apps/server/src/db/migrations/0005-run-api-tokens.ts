import type { Kysely } from "kysely";

/**
 * Public-API tokens of administrative runs (`gra_...`): one row per minted token, linked to its
 * run (deleted with it). Only the secret's SHA-256 is stored; the run's state and `expires_at`
 * decide whether the token still works.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("run_api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("space_id", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("run_api_tokens_run").on("run_api_tokens").column("run_id").execute();
}
