import type { Kysely } from "kysely";

/**
 * `terraform login` (login.v1): the authorization codes a person's approval hands to terraform
 * through its localhost redirect. Stored by the SHA-256 of the code, single use, valid one
 * minute; terraform exchanges one (with its PKCE verifier) for a registry token.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("registry_login_codes")
    .addColumn("code_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("redirect_uri", "text", (c) => c.notNull())
    .addColumn("code_challenge", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}
