import type { Kysely } from "kysely";

/**
 * For versions Gantry publishes itself from its built providers: a cheap fingerprint of the
 * build on disk (each binary's platform, size and modification time), so a restart skips
 * re-reading, re-zipping and re-hashing a build that is already published. Null for uploads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("provider_versions").addColumn("build_fingerprint", "text").execute();
}
