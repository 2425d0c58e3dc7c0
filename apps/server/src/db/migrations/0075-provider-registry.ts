import type { Kysely } from "kysely";

/**
 * The provider registry and registry tokens (issue 17, providers half):
 * - `provider_namespaces`: who owns a provider namespace (its space, shared spaces), and whether
 *   Gantry ships it (readable by every stack and person).
 * - `provider_gpg_keys`: the public keys a namespace's SHA256SUMS signatures must verify with.
 * - `provider_versions`: one published version of `<namespace>/<type>`, with its SHA256SUMS and
 *   detached signature, immutable once written.
 * - `provider_packages`: one platform's zip of a version (a blob), with its SHA-256 and the
 *   `h1:` hash terraform records in lock files.
 * - `registry_tokens`: tokens that can only read the registry: one per run (dies with the run)
 *   or a person's (`terraform login`), stored as a SHA-256 of the secret.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("provider_namespaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull())
    .addColumn("shared_with", "text", (c) => c.notNull())
    .addColumn("shipped", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("provider_gpg_keys")
    .addColumn("namespace_id", "text", (c) => c.notNull().references("provider_namespaces.id").onDelete("cascade"))
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("ascii_armor", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("provider_gpg_keys_pk", ["namespace_id", "key_id"])
    .execute();

  await db.schema
    .createTable("provider_versions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("namespace_id", "text", (c) => c.notNull().references("provider_namespaces.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("protocols", "text", (c) => c.notNull())
    .addColumn("shasums", "text", (c) => c.notNull())
    .addColumn("shasums_signature", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("provider_versions_address").on("provider_versions").columns(["namespace_id", "type", "version"]).unique().execute();

  await db.schema
    .createTable("provider_packages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("version_id", "text", (c) => c.notNull().references("provider_versions.id").onDelete("cascade"))
    .addColumn("os", "text", (c) => c.notNull())
    .addColumn("arch", "text", (c) => c.notNull())
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("blob_id", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("h1", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("provider_packages_platform").on("provider_packages").columns(["version_id", "os", "arch"]).unique().execute();

  await db.schema
    .createTable("registry_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    // Exactly one of run_id (a run's token) and user_id (a person's, from terraform login).
    .addColumn("run_id", "text")
    .addColumn("user_id", "text")
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("last_used_at", "text")
    .execute();
  await db.schema.createIndex("registry_tokens_run").on("registry_tokens").column("run_id").execute();
  await db.schema.createIndex("registry_tokens_user").on("registry_tokens").column("user_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ["registry_tokens", "provider_packages", "provider_versions", "provider_gpg_keys", "provider_namespaces"]) await db.schema.dropTable(t).execute();
}
