import type { Kysely } from "kysely";
import { sql } from "kysely";
import { policyVersion } from "../../policies/policy-version.js";

/**
 * Every body a policy has had, by version (the content hash receipts keep since 0055), so that
 * `gantry run explain-policy` traces the body that decided a run, not one saved since. Rows go
 * with their policy. Existing policies get their current body here; earlier bodies were never
 * kept, so receipts made by them are traced with the current body and the answer says so.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("policy_bodies")
    .addColumn("policy_id", "text", (c) => c.notNull().references("policies.id").onDelete("cascade"))
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("rego_version", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("policy_bodies_pk", ["policy_id", "version"])
    .execute();
  const rows = await sql<{ id: string; body: string; rego_version: string; updated_at: string }>`select id, body, rego_version, updated_at from policies`.execute(db);
  for (const p of rows.rows) {
    await sql`insert into policy_bodies (policy_id, version, body, rego_version, created_at) values (${p.id}, ${policyVersion(p.body, p.rego_version)}, ${p.body}, ${p.rego_version}, ${p.updated_at})`.execute(db);
  }
}
