import type { Kysely } from "kysely";

/**
 * Policies carry their tests, and receipts name the policy version that decided (issue 14):
 * - `policies.tests`: Rego test modules (`test_` rules) run against the body whenever either
 *   changes; a failing test refuses the change. Empty when the policy has none.
 * - `run_policy_receipts.policy_version`: the content hash of the body (and Rego version) the
 *   engine evaluated, so a receipt says which version of a since-edited policy decided. Null on
 *   receipts written before this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("policies").addColumn("tests", "text", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("run_policy_receipts").addColumn("policy_version", "text").execute();
}
