import { sql, type Kysely } from "kysely";

/** The initial schema. Column types are chosen to mean the same on SQLite and PostgreSQL. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = "created_at";
  await db.schema
    .createTable("spaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("parent_space_id", "text", (c) => c.references("spaces.id"))
    .addColumn("inherit_entities", "integer", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("spaces_parent").on("spaces").column("parent_space_id").execute();

  await db.schema
    .createTable("stacks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
    .addColumn("repository", "text", (c) => c.notNull())
    .addColumn("branch", "text", (c) => c.notNull())
    .addColumn("project_root", "text", (c) => c.notNull())
    .addColumn("additional_project_globs", "text", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("autodeploy", "integer", (c) => c.notNull())
    .addColumn("autoretry", "integer", (c) => c.notNull())
    .addColumn("administrative", "integer", (c) => c.notNull())
    .addColumn("manage_state", "integer", (c) => c.notNull())
    .addColumn("protect_from_deletion", "integer", (c) => c.notNull())
    .addColumn("enable_local_preview", "integer", (c) => c.notNull())
    .addColumn("workflow_tool", "text", (c) => c.notNull())
    .addColumn("terraform_version", "text")
    .addColumn("hooks", "text", (c) => c.notNull())
    .addColumn("worker_pool_id", "text")
    .addColumn("locked_by", "text")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("stacks_space").on("stacks").columns(["space_id", "id"]).execute();

  for (const table of ["contexts", "policies", "aws_integrations"] as const) {
    let t = db.schema
      .createTable(table)
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
      .addColumn("labels", "text", (c) => c.notNull());
    if (table === "contexts") t = t.addColumn("description", "text", (c) => c.notNull()).addColumn("hooks", "text", (c) => c.notNull());
    if (table === "policies")
      t = t
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("rego_version", "text", (c) => c.notNull());
    if (table === "aws_integrations") t = t.addColumn("role_arn", "text", (c) => c.notNull()).addColumn("duration_seconds", "integer", (c) => c.notNull());
    await t.addColumn(now, "text", (c) => c.notNull()).addColumn("updated_at", "text", (c) => c.notNull()).execute();
    await db.schema.createIndex(`${table}_space`).on(table).column("space_id").execute();
  }

  await db.schema
    .createTable("config_elements")
    .addColumn("owner_type", "text", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("value_encrypted", "text", (c) => c.notNull())
    .addColumn("write_only", "integer", (c) => c.notNull())
    .addColumn("checksum", "text", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("config_elements_pk", ["owner_type", "owner_id", "kind", "name"])
    .execute();

  await db.schema
    .createTable("attachments")
    .addColumn("stack_id", "text", (c) => c.notNull().references("stacks.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("read", "integer", (c) => c.notNull())
    .addColumn("write", "integer", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("attachments_pk", ["stack_id", "kind", "entity_id"])
    .execute();
  await db.schema.createIndex("attachments_entity").on("attachments").columns(["kind", "entity_id"]).execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("disabled", "integer", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("teams")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn(now, "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("team_members")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("team_members_pk", ["team_id", "user_id"])
    .execute();
  await db.schema
    .createTable("role_bindings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .addUniqueConstraint("role_bindings_unique", ["space_id", "subject_type", "subject_id", "role"])
    .execute();
  await db.schema.createIndex("role_bindings_subject").on("role_bindings").columns(["subject_type", "subject_id"]).execute();
  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("expires_at", "text")
    .execute();
  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull())
    .addColumn(now, "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("space_id", "text")
    .addColumn("payload", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_target").on("audit_events").columns(["target_type", "target_id"]).execute();
  await db.schema.createIndex("audit_events_space").on("audit_events").columns(["space_id", "id"]).execute();

  // The root of the space tree exists from the start; it cannot be deleted or moved.
  const at = new Date().toISOString();
  await sql`insert into spaces (id, name, description, parent_space_id, inherit_entities, labels, created_at, updated_at)
    values ('root', 'root', 'The root of the space tree', null, 0, '[]', ${at}, ${at})`.execute(db);
}
