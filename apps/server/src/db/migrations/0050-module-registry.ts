import type { Kysely } from "kysely";

/**
 * The module registry (issue 17):
 * - `modules`: a module of the private registry, addressed by (namespace, name, provider).
 * - `module_versions`: one published version; its archive is a blob (owner `module_version`),
 *   immutable once written. `state` is ACTIVE, FAILED (its tests failed) or YANKED.
 * - `module_consumers`: which stack resolved which version of which module at its last init.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("modules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("terraform_provider", "text", (c) => c.notNull())
    .addColumn("namespace", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("repository", "text", (c) => c.notNull())
    .addColumn("branch", "text", (c) => c.notNull())
    .addColumn("project_root", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("shared_with", "text", (c) => c.notNull())
    .addColumn("worker_pool_id", "text")
    .addColumn("protect_from_deletion", "integer", (c) => c.notNull())
    // NONE, PROPOSED or TRACKED: which runs of consumers a published version queues.
    .addColumn("trigger_consumers", "text", (c) => c.notNull().defaultTo("NONE"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("modules_address").on("modules").columns(["namespace", "name", "terraform_provider"]).unique().execute();

  await db.schema
    .createTable("module_versions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("module_id", "text", (c) => c.notNull().references("modules.id").onDelete("cascade"))
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("commit_sha", "text", (c) => c.notNull())
    .addColumn("author", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("tag", "text")
    .addColumn("blob_id", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("changelog", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("module_versions_version").on("module_versions").columns(["module_id", "version"]).unique().execute();

  await db.schema
    .createTable("module_consumers")
    .addColumn("stack_id", "text", (c) => c.notNull())
    .addColumn("module_id", "text", (c) => c.notNull().references("modules.id").onDelete("cascade"))
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("constraint_text", "text")
    .addColumn("run_id", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("module_consumers_pk", ["stack_id", "module_id"])
    .execute();
  await db.schema.createIndex("module_consumers_module").on("module_consumers").columns(["module_id", "stack_id"]).execute();
}
