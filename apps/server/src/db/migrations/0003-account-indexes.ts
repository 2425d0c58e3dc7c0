import type { Kysely } from "kysely";

/**
 * Indexes for the lookups every authenticated request makes (a user's teams) and for cleaning up
 * after an account (its keys and sessions).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("team_members_user").on("team_members").column("user_id").execute();
  await db.schema.createIndex("api_keys_user").on("api_keys").column("user_id").execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
  await db.schema.createIndex("sessions_expiry").on("sessions").column("expires_at").execute();
}
