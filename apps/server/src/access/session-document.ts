import type { Db } from "../db/connect.js";
import type { Principal } from "../auth/principal.js";

/** Spacelift's `session` document, as ACCESS, LOGIN and TRIGGER policies read it. */
export interface SessionDocument {
  login: string;
  name: string;
  /** Team names (`payments`), never ids: policies are written against names. */
  teams: string[];
  admin: boolean;
  machine: boolean;
  member: boolean;
  account_name: string;
  creator_ip: string;
  stack_id: string;
}

/** Names of the teams a user belongs to, sorted. */
export async function teamNamesOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom("team_members").innerJoin("teams", "teams.id", "team_members.team_id").select("teams.name").where("team_members.user_id", "=", userId).orderBy("teams.name").execute();
  return rows.map((r) => r.name);
}

/**
 * The session document of a caller. Teams are Gantry's teams plus any a login policy mapped the
 * session to (carried on the principal); `admin` is admin on the root space.
 */
export async function sessionDocument(db: Db, actor: Principal): Promise<SessionDocument> {
  const teams = actor.kind === "user" ? await teamNamesOf(db, actor.id) : [];
  for (const t of actor.policyTeams ?? []) if (!teams.includes(t)) teams.push(t);
  return {
    login: actor.name,
    name: actor.displayName ?? actor.name,
    teams,
    admin: actor.bindings.some((b) => b.spaceId === "root" && b.role === "admin"),
    machine: actor.kind !== "user",
    member: true,
    account_name: "",
    creator_ip: "",
    stack_id: actor.stackId ?? "",
  };
}
