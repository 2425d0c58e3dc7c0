import type { Kysely } from "kysely";

/**
 * TRIGGER policies: the run that triggered a run, the chain of stacks it came through (JSON
 * array of stack ids, first the origin) so loops end, and a key unique per (triggering run,
 * triggered stack) so a replayed or concurrent evaluation never creates a run twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("runs").addColumn("triggered_by_run", "text").execute();
  await db.schema.alterTable("runs").addColumn("trigger_chain", "text").execute();
  await db.schema.alterTable("runs").addColumn("trigger_key", "text").execute();
  await db.schema.createIndex("runs_trigger_key").unique().on("runs").column("trigger_key").execute();
}
