import type { Kysely } from "kysely";

/**
 * `run_provider_pins`: the provider versions a run's lock file pins, reported by the worker
 * before init. Terraform asks for a provider's version list even when its lock file names the
 * version, so the registry lists a yanked version to the runs that pin it, and to nobody else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("run_provider_pins")
    .addColumn("run_id", "text", (c) => c.notNull())
    .addColumn("namespace_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("run_provider_pins_pk", ["run_id", "namespace_id", "type"])
    .execute();
}
