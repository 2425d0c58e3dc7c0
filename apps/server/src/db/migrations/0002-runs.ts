import type { Kysely } from "kysely";

/**
 * The run engine: runs and their transitions, logs, blobs (plans, workspaces, state), state
 * versions and locks, worker pools with their tokens, and workers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("worker_pools")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("worker_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("worker_tokens_pool").on("worker_tokens").column("pool_id").execute();
  await db.schema
    .createTable("workers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("current_run_id", "text")
    .addColumn("last_heartbeat_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("workers_pool").on("workers").columns(["pool_id", "status"]).execute();

  await db.schema
    .createTable("runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("stack_id", "text", (c) => c.notNull().references("stacks.id").onDelete("cascade"))
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("blocking", "integer", (c) => c.notNull())
    .addColumn("commit_sha", "text")
    .addColumn("commit_branch", "text", (c) => c.notNull())
    .addColumn("commit_message", "text")
    .addColumn("commit_author", "text")
    .addColumn("command", "text")
    .addColumn("triggered_by", "text", (c) => c.notNull())
    .addColumn("worker_id", "text")
    .addColumn("token_hash", "text")
    .addColumn("failure_reason", "text")
    .addColumn("delta", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("runs_stack").on("runs").columns(["stack_id", "id"]).execute();
  await db.schema.createIndex("runs_state").on("runs").columns(["state", "pool_id", "id"]).execute();

  await db.schema
    .createTable("run_transitions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("from_state", "text")
    .addColumn("to_state", "text", (c) => c.notNull())
    .addColumn("cause", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("run_transitions_run").on("run_transitions").columns(["run_id", "id"]).execute();

  await db.schema
    .createTable("run_policy_receipts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("policy_id", "text", (c) => c.notNull())
    .addColumn("policy_name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("messages", "text", (c) => c.notNull())
    .addColumn("input_encrypted", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("run_policy_receipts_run").on("run_policy_receipts").columns(["run_id", "id"]).execute();

  await db.schema
    .createTable("run_reviews")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("author", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("run_state", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("run_logs")
    .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("phase", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("run_logs_pk", ["run_id", "seq"])
    .execute();

  await db.schema
    .createTable("blobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_type", "text", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("data_encrypted", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("blobs_owner").on("blobs").columns(["owner_type", "owner_id", "kind"]).execute();

  await db.schema
    .createTable("state_versions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("stack_id", "text", (c) => c.notNull().references("stacks.id").onDelete("cascade"))
    .addColumn("serial", "integer", (c) => c.notNull())
    .addColumn("lineage", "text", (c) => c.notNull())
    .addColumn("run_id", "text")
    .addColumn("blob_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("state_versions_stack").on("state_versions").columns(["stack_id", "id"]).execute();
  await db.schema
    .createTable("state_locks")
    .addColumn("stack_id", "text", (c) => c.primaryKey().references("stacks.id").onDelete("cascade"))
    .addColumn("lock_id", "text", (c) => c.notNull())
    .addColumn("info", "text", (c) => c.notNull())
    .addColumn("run_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("stack_outputs")
    .addColumn("stack_id", "text", (c) => c.primaryKey().references("stacks.id").onDelete("cascade"))
    .addColumn("run_id", "text", (c) => c.notNull())
    .addColumn("outputs", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}
