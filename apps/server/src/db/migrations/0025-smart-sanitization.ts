import type { Kysely } from "kysely";

/**
 * `smart_sanitization`: how plan policies see resource values (Spacelift's Resource Sanitization):
 * 1 hashes only the values terraform marks sensitive (the default), 0 hashes every string.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("stacks").addColumn("smart_sanitization", "integer", (c) => c.notNull().defaultTo(1)).execute();
}
