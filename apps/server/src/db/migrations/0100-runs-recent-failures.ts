import type { Kysely } from "kysely";

/**
 * The overview's "recent failures" (FAILED runs of the last week, newest first): without this
 * index the query read and sorted every failed run in the window (about 11,000 in the web bench's
 * 100,000 runs) to show 50.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("runs_state_updated").on("runs").columns(["state", "updated_at"]).execute();
}
