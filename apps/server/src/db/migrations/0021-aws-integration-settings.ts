import type { Kysely } from "kysely";

/**
 * What an AWS integration needs to take effect in runs, as Spacelift's resource has it: the
 * worker may assume the role itself (`generate_credentials_in_worker`), an external id, a
 * region for the SDK and STS, and the token audience the role's trust policy expects.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("aws_integrations").addColumn("generate_credentials_in_worker", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("aws_integrations").addColumn("external_id", "text").execute();
  await db.schema.alterTable("aws_integrations").addColumn("region", "text").execute();
  await db.schema.alterTable("aws_integrations").addColumn("audience", "text").execute();
}
