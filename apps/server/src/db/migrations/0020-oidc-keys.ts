import type { Kysely } from "kysely";

/**
 * Signing keys of Gantry's OIDC identity provider. The private key is encrypted with the
 * server's key (bound to its `kid`); the public JWK is published. A rotated key keeps being
 * published until `published_until`, when every token it signed has expired.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("oidc_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("algorithm", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("private_key_encrypted", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("retired_at", "text")
    .addColumn("published_until", "text")
    .execute();
}
