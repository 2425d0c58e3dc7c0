import type { Kysely } from "kysely";

/**
 * What the LOGIN policies decided when a session was created or refreshed: the roles they
 * granted (JSON `[{spaceId, role, policy}]`) and the teams they mapped the session to (JSON
 * names). Null when no login policy applied. Kept on the session so every request carries the
 * decision without re-evaluating, as Spacelift's sessions do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("policy_grants", "text").execute();
  await db.schema.alterTable("sessions").addColumn("policy_teams", "text").execute();
}
