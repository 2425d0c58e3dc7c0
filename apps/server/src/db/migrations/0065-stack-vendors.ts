import type { Kysely } from "kysely";

/**
 * A stack's vendor (Spacelift's term: the tool it runs) and that vendor's settings block as JSON
 * (`{"namespace": ..., "kubectlVersion": ...}` for KUBERNETES, `{"playbook": ...}` for ANSIBLE);
 * null for TERRAFORM, whose settings are columns of their own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("stacks").addColumn("vendor", "text", (c) => c.notNull().defaultTo("TERRAFORM")).execute();
  await db.schema.alterTable("stacks").addColumn("vendor_settings", "text").execute();
}
