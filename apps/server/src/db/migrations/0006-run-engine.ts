import type { Kysely } from "kysely";

/**
 * The run engine's second round: `awaiting_approval` marks a QUEUED run that APPROVAL policies
 * hold until they approve it (Spacelift evaluates them in QUEUED); the scheduler never promotes
 * it meanwhile.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("runs").addColumn("awaiting_approval", "integer", (c) => c.notNull().defaultTo(0)).execute();
}
