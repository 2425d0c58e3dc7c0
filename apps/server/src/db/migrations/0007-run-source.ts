import type { Kysely } from "kysely";

/** Where a run's code comes from: `git` (the stack's repository) or `upload` (a local preview's archive). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("runs").addColumn("source", "text", (c) => c.notNull().defaultTo("git")).execute();
}
