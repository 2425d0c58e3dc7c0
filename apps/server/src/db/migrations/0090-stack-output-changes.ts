import type { Kysely } from "kysely";

/**
 * Which outputs the run that wrote a `stack_outputs` row changed against the row it replaced (a
 * JSON array of names). Stacks without managed state (Kubernetes, Ansible, terraform with its own
 * backend) have no state versions to compare, so the dependency dispatcher reads this instead to
 * decide whether a referenced output moved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("stack_outputs").addColumn("changed", "text", (c) => c.notNull().defaultTo("[]")).execute();
}
