import type { Kysely } from "kysely";

/**
 * A module version's reaction to becoming ACTIVE (issue 17):
 * - `module_versions.published_by`: who published it (JSON: a person, a VCS event, or an
 *   administrative stack's run), kept because a version with tests becomes ACTIVE later, when its
 *   TESTING runs pass, and its consumers' runs and TRIGGER policies then act as that publisher.
 *   Null for versions published before this column existed.
 * - `module_versions.impact`: what becoming ACTIVE did (consumers, queued runs, skips, policy
 *   errors; JSON of the API's PublishImpact), null until then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("module_versions").addColumn("published_by", "text").execute();
  await db.schema.alterTable("module_versions").addColumn("impact", "text").execute();
}
