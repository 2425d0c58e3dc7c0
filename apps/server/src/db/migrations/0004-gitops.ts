import type { Kysely } from "kysely";

/**
 * GitOps: VCS integrations (GitHub with an API base URL, token and webhook secret, encrypted; or
 * raw git), the stack's optional integration, the VCS facts of a run (pull request, dedupe key),
 * and the branch heads the poller last saw per repository.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("vcs_integrations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("api_base_url", "text")
    .addColumn("token_encrypted", "text")
    .addColumn("token_checksum", "text")
    .addColumn("webhook_secret_encrypted", "text")
    .addColumn("webhook_secret_checksum", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.alterTable("stacks").addColumn("vcs_integration_id", "text").execute();
  await db.schema.createIndex("stacks_repository").on("stacks").column("repository").execute();
  await db.schema.alterTable("runs").addColumn("pull_request", "integer").execute();
  // One run per (stack, commit, run type) from VCS events: a webhook retried, a branch push and a
  // pull-request event of the same commit, or the poller and a hook noticing one push all meet here.
  await db.schema.alterTable("runs").addColumn("vcs_key", "text").execute();
  await db.schema.createIndex("runs_vcs_key").unique().on("runs").column("vcs_key").execute();
  await db.schema
    .createTable("vcs_heads")
    .addColumn("repository", "text", (c) => c.notNull())
    .addColumn("branch", "text", (c) => c.notNull())
    .addColumn("sha", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("vcs_heads_pk", ["repository", "branch"])
    .execute();
}
