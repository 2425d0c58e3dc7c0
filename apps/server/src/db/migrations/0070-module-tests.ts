import type { Kysely } from "kysely";

/**
 * Module test cases (issue 17):
 * - `stacks.module_id`: the stack row that hosts a module's TESTING runs (id `module:<module>`),
 *   as Spacelift runs a module's tests as the module's own runs. It carries the module's space,
 *   labels and worker pool, so attachments (contexts, policies) and auto-attach work as for
 *   stacks; it is left out of every stack listing.
 * - `modules.offer_failed_versions`: 1 offers versions whose tests failed to terraform anyway.
 * - `module_version_tests`: one test case of one version and the TESTING run that checks it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("stacks").addColumn("module_id", "text").execute();
  await db.schema.alterTable("modules").addColumn("offer_failed_versions", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable("module_version_tests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("version_id", "text", (c) => c.notNull().references("module_versions.id").onDelete("cascade"))
    .addColumn("module_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // The test's root module, relative to the repository root.
    .addColumn("project_root", "text", (c) => c.notNull())
    // JSON object of the test's environment variables (from the config file, so not secret).
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("negative", "integer", (c) => c.notNull())
    .addColumn("run_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("module_version_tests_version").on("module_version_tests").columns(["version_id"]).execute();
  await db.schema.createIndex("module_version_tests_run").on("module_version_tests").columns(["run_id"]).execute();
}
