import type { Kysely } from "kysely";

/**
 * A yanked provider version (1) is left out of the providers.v1 versions list and the network
 * mirror's index.json, so no fresh constraint picks it, while its packages stay downloadable by
 * exact version, so lock files that pin it keep installing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("provider_versions").addColumn("yanked", "integer", (c) => c.notNull().defaultTo(0)).execute();
}
