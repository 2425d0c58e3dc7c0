import type { Kysely } from "kysely";

/** `prioritized`: a push policy's `prioritize` puts the run ahead of the pool's other claimable runs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("runs").addColumn("prioritized", "integer", (c) => c.notNull().defaultTo(0)).execute();
}
