import { timingSafeEqual } from "node:crypto";
import type { Role } from "@gantry/contract";
import type { Binding, Principal } from "../auth/principal.js";
import { parseToken } from "../crypto/tokens.js";
import type { Db } from "../db/connect.js";
import { now, parseJson, toBool } from "../db/rows.js";
import { withVerdict, type LoginGate } from "./login-gate.js";
import type { PolicyGrant } from "./login-policy.js";

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Role bindings held by a user directly and through its teams. */
export async function userBindings(db: Db, userId: string): Promise<Binding[]> {
  const rows = await db
    .selectFrom("role_bindings")
    .select(["space_id", "role"])
    .where((eb) =>
      eb.or([
        eb.and([eb("subject_type", "=", "user"), eb("subject_id", "=", userId)]),
        eb.and([eb("subject_type", "=", "team"), eb("subject_id", "in", eb.selectFrom("team_members").select("team_id").where("user_id", "=", userId))]),
      ]),
    )
    .execute();
  return rows.map((r) => ({ spaceId: r.space_id, role: r.role as Role }));
}

/** Recording every use would turn each read into a write; once a minute is enough to see activity. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a bearer token (API key or session) to the principal it stands for, or undefined.
 * A session carries what the LOGIN policies decided when it was created; an API key use is
 * decided by the login gate (which throws when the policies refuse it).
 */
export async function authenticate(db: Db, token: string, gate?: LoginGate): Promise<Principal | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const at = now();
  if (parsed.kind === "gnt") {
    const key = await db.selectFrom("api_keys").innerJoin("users", "users.id", "api_keys.user_id")
      .select(["api_keys.id", "api_keys.secret_hash", "api_keys.expires_at", "api_keys.last_used_at", "users.id as user_id", "users.username", "users.display_name", "users.disabled"])
      .where("api_keys.id", "=", parsed.id).executeTakeFirst();
    if (!key || !sameHash(key.secret_hash, parsed.secretHash) || toBool(key.disabled)) return undefined;
    if (key.expires_at && key.expires_at <= at) return undefined;
    if (!key.last_used_at || Date.parse(at) - Date.parse(key.last_used_at) > LAST_USED_RESOLUTION_MS) {
      await db.updateTable("api_keys").set({ last_used_at: at }).where("id", "=", key.id).execute();
    }
    const principal: Principal = { kind: "user", id: key.user_id, name: key.username, displayName: key.display_name, bindings: await userBindings(db, key.user_id), credential: { type: "apiKey", id: key.id } };
    return gate ? gate.forApiKey(db, principal, key.id, key.display_name) : principal;
  }
  const session = await db.selectFrom("sessions").innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id", "sessions.token_hash", "sessions.expires_at", "sessions.policy_grants", "sessions.policy_teams", "users.id as user_id", "users.username", "users.display_name", "users.disabled"])
    .where("sessions.id", "=", parsed.id).executeTakeFirst();
  if (!session || !sameHash(session.token_hash, parsed.secretHash) || toBool(session.disabled) || session.expires_at <= at) return undefined;
  const principal: Principal = { kind: "user", id: session.user_id, name: session.username, displayName: session.display_name, bindings: await userBindings(db, session.user_id), credential: { type: "session", id: session.id } };
  return withVerdict(principal, session.policy_grants ? parseJson<PolicyGrant[]>(session.policy_grants) : [], session.policy_teams ? parseJson<string[]>(session.policy_teams) : []);
}
