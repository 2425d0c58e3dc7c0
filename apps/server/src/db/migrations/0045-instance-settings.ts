import type { Kysely } from "kysely";

/**
 * `instance_settings`: facts about this Gantry installation as a whole, one row per name. The
 * first is `encryption_key_check`, a value encrypted with the installation's key, so a server
 * (or a restore) given another key is refused at once instead of failing on every secret later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("instance_settings")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}
