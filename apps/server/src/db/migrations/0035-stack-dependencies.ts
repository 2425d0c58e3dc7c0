import type { Kysely } from "kysely";

/**
 * Stack dependencies (a DAG: the service refuses cycles), the output references they carry, and
 * the dispatcher's inbox: one row per blocking run that reached a terminal state, written in the
 * transaction that finished the run so no trigger or skip is lost to a restart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("stack_dependencies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("stack_id", "text", (c) => c.notNull().references("stacks.id").onDelete("cascade"))
    .addColumn("depends_on_stack_id", "text", (c) => c.notNull().references("stacks.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("stack_dependencies_pair", ["stack_id", "depends_on_stack_id"])
    .execute();
  await db.schema.createIndex("stack_dependencies_upstream").on("stack_dependencies").column("depends_on_stack_id").execute();
  await db.schema
    .createTable("stack_dependency_references")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("dependency_id", "text", (c) => c.notNull().references("stack_dependencies.id").onDelete("cascade"))
    .addColumn("output_name", "text", (c) => c.notNull())
    .addColumn("input_name", "text", (c) => c.notNull())
    .addColumn("trigger_always", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("stack_dependency_references_input", ["dependency_id", "input_name"])
    .execute();
  await db.schema
    .createTable("dependency_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
