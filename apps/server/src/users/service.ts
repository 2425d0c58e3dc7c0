import type { CreateApiKey, CreateRoleBinding, CreateUser, Me, UpdateUser } from "@gantry/contract";
import { sql } from "kysely";
import { ulid } from "ulid";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import { hashPassword, verifyPassword } from "../crypto/passwords.js";
import { newToken } from "../crypto/tokens.js";
import type { Db } from "../db/connect.js";
import { constraintKind, fromBool, now, toBool } from "../db/rows.js";
import type { UsersTable } from "../db/schema.js";
import { alreadyExists, AppError, forbidden, invalidField, notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { authenticate } from "./authenticate.js";
import { apiKeyFromRow, bindingFromRow, teamOf, userFromRow } from "./rows.js";
import { LoginThrottle } from "./login-throttle.js";
import { sessionDocument } from "../access/session-document.js";
import { userBindings } from "./authenticate.js";
import { withVerdict, type LoginGate } from "./login-gate.js";
import type { LoginVerdict } from "./login-policy.js";

/** What a session stores of its LOGIN policy decision (nothing when no policy applied). */
const sessionVerdict = (v: LoginVerdict | undefined) =>
  v?.evaluated ? { policy_grants: JSON.stringify(v.grants), policy_teams: JSON.stringify(v.teams) } : { policy_grants: null, policy_teams: null };

const requireRootAdmin = (db: Db, actor: Principal, action: string) => scoped(db).authz.require(actor, "root", "admin", action);

/** Advisory lock key for first-start bootstrap (any constant; "gantry" in ASCII). */
const BOOTSTRAP_LOCK = 0x67616e747279;

let dummy: Promise<string> | undefined;
/** A hash to verify against when there is no account, so a miss costs what a hit costs. */
const dummyHash = () => (dummy ??= hashPassword("no such account, but the same amount of work"));

/**
 * Refuses a change that would leave no enabled user holding admin on root (directly or through a
 * team): nobody could then manage accounts, and recovering would need a database edit.
 */
async function assertRootAdminRemains(db: Db, change: string): Promise<void> {
  const direct = await db.selectFrom("role_bindings").innerJoin("users", "users.id", "role_bindings.subject_id")
    .select("users.id").where("role_bindings.subject_type", "=", "user").where("role_bindings.space_id", "=", "root")
    .where("role_bindings.role", "=", "admin").where("users.disabled", "=", 0).limit(1).executeTakeFirst();
  if (direct) return;
  const viaTeam = await db.selectFrom("role_bindings").innerJoin("team_members", "team_members.team_id", "role_bindings.subject_id")
    .innerJoin("users", "users.id", "team_members.user_id").select("users.id").where("role_bindings.subject_type", "=", "team")
    .where("role_bindings.space_id", "=", "root").where("role_bindings.role", "=", "admin").where("users.disabled", "=", 0).limit(1).executeTakeFirst();
  if (!viaTeam) throw new AppError("conflict", `${change} would leave no enabled user with admin on the root space: grant it to someone else first`);
}

async function teamsOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await db.selectFrom("team_members").innerJoin("teams", "teams.id", "team_members.team_id").select(["team_members.user_id", "teams.name"]).where("team_members.user_id", "in", userIds).orderBy("teams.name").execute();
  for (const r of rows) map.get(r.user_id)?.push(r.name);
  return map;
}

/** Accounts, teams, role bindings, API keys and sessions. */
export function userService(core: Core, opts: { sessionTtlHours: number; throttle?: LoginThrottle; gate?: LoginGate }) {
  const throttle = opts.throttle ?? new LoginThrottle();
  const { db } = core;

  async function loadUser(d: Db, id: string): Promise<UsersTable> {
    const u = await d.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    if (!u) throw notFound("user", id);
    return u;
  }
  async function userOut(d: Db, u: UsersTable) {
    return userFromRow(u, (await teamsOf(d, [u.id])).get(u.id) ?? []);
  }
  async function loadTeam(d: Db, id: string) {
    const t = await d.selectFrom("teams").selectAll().where("id", "=", id).executeTakeFirst();
    if (!t) throw notFound("team", id);
    const members = await d.selectFrom("team_members").select("user_id").where("team_id", "=", id).orderBy("user_id").execute();
    return teamOf(t, members.map((m) => m.user_id));
  }

  async function openSession(u: UsersTable, verdict?: LoginVerdict) {
    const id = ulid();
    const { token, secretHash } = newToken("gns", id);
    const expiresAt = new Date(Date.now() + opts.sessionTtlHours * 3_600_000).toISOString();
    const at = now();
    // Expired sessions are useless; each login clears them away.
    await db.deleteFrom("sessions").where("expires_at", "<=", at).execute();
    await db.insertInto("sessions").values({ id, user_id: u.id, token_hash: secretHash, created_at: at, expires_at: expiresAt, ...sessionVerdict(verdict) }).execute();
    return { token, expiresAt, user: await userOut(db, u) };
  }

  return {
    async login(username: string, password: string) {
      const wait = throttle.waitFor(username);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new AppError("too_many_requests", `too many failed logins for this account: try again in ${seconds} s`, { retryAfterSeconds: seconds });
      }
      const u = await db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
      // Same answer, after the same work, for unknown users, wrong passwords and disabled accounts:
      // neither the message nor the time it takes tells whether an account exists.
      const hash = u?.password_hash ?? (await dummyHash());
      const matches = await verifyPassword(password, hash);
      const ok = u && u.password_hash && !toBool(u.disabled) && matches;
      if (!u || !ok) {
        throttle.failed(username);
        throw new AppError("unauthenticated", "wrong username or password");
      }
      throttle.succeeded(username);
      // LOGIN policies decide after the password: a refusal must not tell a guesser anything.
      const verdict = opts.gate ? await opts.gate.decide(db, { id: u.id, username: u.username, displayName: u.display_name, stored: await userBindings(db, u.id), via: "password" }) : undefined;
      return openSession(u, verdict);
    },

    /**
     * Opens a session for the person an API key belongs to: how the web UI signs in someone who
     * has only a key (the first-start admin). A run token or an unknown key gets nothing; the
     * LOGIN policies decide as for any API-key use, and the session keeps their verdict.
     */
    async loginWithApiKey(apiKey: string) {
      const actor = await authenticate(db, apiKey);
      if (!actor || actor.credential?.type !== "apiKey") throw new AppError("unauthenticated", "the API key is not valid (unknown, revoked or expired): create a new one with 'gantry api-key create'");
      const u = await loadUser(db, actor.id);
      const verdict = opts.gate ? await opts.gate.decide(db, { id: u.id, username: u.username, displayName: u.display_name, stored: await userBindings(db, u.id), via: "apiKey" }) : undefined;
      return openSession(u, verdict);
    },

    async logout(actor: Principal) {
      if (actor.credential?.type !== "session") throw new AppError("bad_request", "logout ends a session; this request used an API key (revoke the key instead)");
      await db.deleteFrom("sessions").where("id", "=", actor.credential.id).execute();
    },

    async me(actor: Principal): Promise<Me> {
      const teams = actor.kind === "user" ? (await sessionDocument(db, actor)).teams : [];
      const roles = actor.bindings.map((b) => ({ spaceId: b.spaceId, role: b.role, source: "policy" in b ? `login policy ${String(b.policy)}` : actor.kind === "run" ? "administrative run" : "role binding" }));
      return { kind: actor.kind, id: actor.id, name: actor.name, roles, teams };
    },

    /**
     * Re-decides a session with the current LOGIN policies and roles, and extends it: what a
     * person does after a policy or team changes, instead of logging in again.
     */
    async refreshSession(actor: Principal): Promise<Me> {
      if (actor.credential?.type !== "session") throw new AppError("bad_request", "refresh renews a session; this request used an API key, which is re-decided on its own every minute");
      const u = await loadUser(db, actor.id);
      const verdict = opts.gate ? await opts.gate.decide(db, { id: u.id, username: u.username, displayName: u.display_name, stored: await userBindings(db, u.id), via: "password" }).catch(async (err: unknown) => {
        // Refused now: the session ends, so the refusal holds for every later request too.
        await db.deleteFrom("sessions").where("id", "=", actor.credential!.id).execute();
        throw err;
      }) : undefined;
      const expiresAt = new Date(Date.now() + opts.sessionTtlHours * 3_600_000).toISOString();
      await db.updateTable("sessions").set({ expires_at: expiresAt, ...sessionVerdict(verdict) }).where("id", "=", actor.credential.id).execute();
      const bindings = await userBindings(db, u.id);
      return this.me(withVerdict({ ...actor, bindings }, verdict?.grants ?? [], verdict?.teams ?? []));
    },

    async listUsers(actor: Principal, q: { limit: number; cursor?: string }) {
      await requireRootAdmin(db, actor, "listing users");
      let query = db.selectFrom("users").selectAll().orderBy("id").limit(q.limit + 1);
      if (q.cursor) query = query.where("id", ">", q.cursor);
      const rows = await query.execute();
      const teams = await teamsOf(db, rows.map((r) => r.id));
      return pageOf(rows.map((r) => userFromRow(r, teams.get(r.id) ?? [])), q.limit);
    },

    async getUser(actor: Principal, id: string) {
      await requireRootAdmin(db, actor, "reading a user");
      return userOut(db, await loadUser(db, id));
    },

    async createUser(actor: Principal, input: z.output<typeof CreateUser>) {
      await requireRootAdmin(db, actor, "creating a user");
      const row: UsersTable = { id: ulid(), username: input.username, display_name: input.displayName, password_hash: await hashPassword(input.password), disabled: 0, created_at: now() };
      return inTransaction(db, async (trx) => {
        try {
          await trx.insertInto("users").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("user", input.username);
          throw err;
        }
        await recordAudit(trx, actor, { action: "user.create", targetType: "user", targetId: row.id, spaceId: "root", payload: input });
        return userFromRow(row, []);
      });
    },

    async updateUser(actor: Principal, id: string, input: z.output<typeof UpdateUser>) {
      await requireRootAdmin(db, actor, "changing a user");
      const hash = input.password ? await hashPassword(input.password) : undefined;
      return inTransaction(db, async (trx) => {
        const u = await loadUser(trx, id);
        const next: UsersTable = { ...u, display_name: input.displayName ?? u.display_name, password_hash: hash ?? u.password_hash, disabled: input.disabled === undefined ? u.disabled : fromBool(input.disabled) };
        await trx.updateTable("users").set(next).where("id", "=", id).execute();
        // A new password or a disabled account ends every open session.
        if (hash || input.disabled) await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
        if (input.disabled) await assertRootAdminRemains(trx, "disabling this user");
        await recordAudit(trx, actor, { action: "user.update", targetType: "user", targetId: id, spaceId: "root", payload: input });
        return userOut(trx, next);
      });
    },

    async deleteUser(actor: Principal, id: string) {
      await requireRootAdmin(db, actor, "deleting a user");
      if (id === actor.id) throw new AppError("conflict", "you cannot delete your own account");
      await inTransaction(db, async (trx) => {
        await loadUser(trx, id);
        await trx.deleteFrom("role_bindings").where("subject_type", "=", "user").where("subject_id", "=", id).execute();
        await trx.deleteFrom("team_members").where("user_id", "=", id).execute();
        await trx.deleteFrom("api_keys").where("user_id", "=", id).execute();
        await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
        await trx.deleteFrom("users").where("id", "=", id).execute();
        await assertRootAdminRemains(trx, "deleting this user");
        await recordAudit(trx, actor, { action: "user.delete", targetType: "user", targetId: id, spaceId: "root" });
      });
    },

    async listTeams(actor: Principal) {
      await requireRootAdmin(db, actor, "listing teams");
      const teams = await db.selectFrom("teams").selectAll().orderBy("name").execute();
      const members = await db.selectFrom("team_members").selectAll().orderBy("user_id").execute();
      return { items: teams.map((t) => teamOf(t, members.filter((m) => m.team_id === t.id).map((m) => m.user_id))) };
    },

    async createTeam(actor: Principal, name: string) {
      await requireRootAdmin(db, actor, "creating a team");
      return inTransaction(db, async (trx) => {
        const row = { id: ulid(), name, created_at: now() };
        try {
          await trx.insertInto("teams").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("team", name);
          throw err;
        }
        await recordAudit(trx, actor, { action: "team.create", targetType: "team", targetId: row.id, spaceId: "root", payload: { name } });
        return teamOf(row, []);
      });
    },

    async deleteTeam(actor: Principal, id: string) {
      await requireRootAdmin(db, actor, "deleting a team");
      await inTransaction(db, async (trx) => {
        await loadTeam(trx, id);
        await trx.deleteFrom("role_bindings").where("subject_type", "=", "team").where("subject_id", "=", id).execute();
        await trx.deleteFrom("team_members").where("team_id", "=", id).execute();
        await trx.deleteFrom("teams").where("id", "=", id).execute();
        await assertRootAdminRemains(trx, "deleting this team");
        await recordAudit(trx, actor, { action: "team.delete", targetType: "team", targetId: id, spaceId: "root" });
      });
    },

    async setTeamMember(actor: Principal, teamId: string, userId: string, member: boolean) {
      await requireRootAdmin(db, actor, "changing team membership");
      return inTransaction(db, async (trx) => {
        await loadTeam(trx, teamId);
        await loadUser(trx, userId);
        await trx.deleteFrom("team_members").where("team_id", "=", teamId).where("user_id", "=", userId).execute();
        if (member) await trx.insertInto("team_members").values({ team_id: teamId, user_id: userId }).execute();
        else await assertRootAdminRemains(trx, "removing this member");
        await recordAudit(trx, actor, { action: member ? "team.member.add" : "team.member.remove", targetType: "team", targetId: teamId, spaceId: "root", payload: { userId } });
        return loadTeam(trx, teamId);
      });
    },

    async listRoleBindings(actor: Principal, spaceId?: string) {
      const administered = await scoped(db).authz.spacesWith(actor, "admin");
      let q = db.selectFrom("role_bindings").selectAll().orderBy("space_id").orderBy("id");
      if (administered !== "all") {
        if (administered.length === 0) return { items: [] };
        q = q.where("space_id", "in", administered);
      }
      if (spaceId) q = q.where("space_id", "=", spaceId);
      return { items: (await q.execute()).map(bindingFromRow) };
    },

    async createRoleBinding(actor: Principal, input: z.output<typeof CreateRoleBinding>) {
      return inTransaction(db, async (trx) => {
        const { authz } = scoped(trx);
        const space = await trx.selectFrom("spaces").select("id").where("id", "=", input.spaceId).executeTakeFirst();
        // Whoever administers only part of the tree gets the same refusal for a space that does
        // not exist as for one outside their reach: space ids are not probed through grants.
        if (!space && !authz.isRootAdmin(actor)) await authz.require(actor, input.spaceId, "admin", "granting a role");
        if (!space) throw invalidField(["spaceId"], `space ${JSON.stringify(input.spaceId)} does not exist`);
        await authz.require(actor, input.spaceId, "admin", "granting a role");
        const subject = input.subjectType === "user"
          ? await trx.selectFrom("users").select("id").where("id", "=", input.subjectId).executeTakeFirst()
          : await trx.selectFrom("teams").select("id").where("id", "=", input.subjectId).executeTakeFirst();
        if (!subject) throw invalidField(["subjectId"], `${input.subjectType} ${JSON.stringify(input.subjectId)} does not exist`);
        const row = { id: ulid(), space_id: input.spaceId, role: input.role, subject_type: input.subjectType, subject_id: input.subjectId, created_at: now() };
        try {
          await trx.insertInto("role_bindings").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("role binding", `${input.role} on ${input.spaceId} for ${input.subjectType} ${input.subjectId}`);
          throw err;
        }
        await recordAudit(trx, actor, { action: "role_binding.create", targetType: "role_binding", targetId: row.id, spaceId: input.spaceId, payload: input });
        return bindingFromRow(row);
      });
    },

    async deleteRoleBinding(actor: Principal, id: string) {
      await inTransaction(db, async (trx) => {
        const row = await trx.selectFrom("role_bindings").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) throw notFound("role binding", id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "revoking a role");
        await trx.deleteFrom("role_bindings").where("id", "=", id).execute();
        await assertRootAdminRemains(trx, "revoking this role");
        await recordAudit(trx, actor, { action: "role_binding.delete", targetType: "role_binding", targetId: id, spaceId: row.space_id, payload: bindingFromRow(row) });
      });
    },

    async listApiKeys(actor: Principal) {
      const all = scoped(db).authz.isRootAdmin(actor);
      let q = db.selectFrom("api_keys").selectAll().orderBy("id");
      if (!all) q = q.where("user_id", "=", actor.id);
      return { items: (await q.execute()).map(apiKeyFromRow) };
    },

    async createApiKey(actor: Principal, input: z.output<typeof CreateApiKey>) {
      if (actor.kind !== "user") throw forbidden("only users can create API keys");
      const userId = input.userId ?? actor.id;
      if (userId !== actor.id) await requireRootAdmin(db, actor, "creating an API key for another user");
      return inTransaction(db, async (trx) => {
        // Another user's id is input: refused at its field, as a role binding's subject is.
        const owner = await trx.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
        if (!owner) throw userId === actor.id ? notFound("user", userId) : invalidField(["userId"], `user ${JSON.stringify(userId)} does not exist`);
        const id = ulid();
        const { token, secretHash } = newToken("gnt", id);
        const row = {
          id, name: input.name, user_id: userId, secret_hash: secretHash, created_at: now(), last_used_at: null,
          expires_at: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString() : null,
        };
        await trx.insertInto("api_keys").values(row).execute();
        await recordAudit(trx, actor, { action: "api_key.create", targetType: "api_key", targetId: id, spaceId: "root", payload: { name: input.name, userId } });
        return { apiKey: apiKeyFromRow(row), secret: token };
      });
    },

    async deleteApiKey(actor: Principal, id: string) {
      await inTransaction(db, async (trx) => {
        const row = await trx.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) throw notFound("API key", id);
        if (row.user_id !== actor.id) await requireRootAdmin(trx, actor, "revoking another user's API key");
        await trx.deleteFrom("api_keys").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "api_key.delete", targetType: "api_key", targetId: id, spaceId: "root" });
      });
    },

    /**
     * On first start (no accounts yet) creates the `admin` account with admin on root and an API
     * key for it, returning the key's secret; undefined when accounts already exist.
     */
    async bootstrap(): Promise<string | undefined> {
      return inTransaction(db, async (trx) => {
        // Replicas starting together on an empty PostgreSQL: the first takes this lock and bootstraps,
        // the others then see its admin and do nothing.
        if (core.dialect === "postgres") await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(trx);
        const any = await trx.selectFrom("users").select("id").limit(1).executeTakeFirst();
        if (any) return undefined;
        const at = now();
        const userId = ulid();
        await trx.insertInto("users").values({ id: userId, username: "admin", display_name: "Administrator", password_hash: null, disabled: 0, created_at: at }).execute();
        await trx.insertInto("role_bindings").values({ id: ulid(), space_id: "root", role: "admin", subject_type: "user", subject_id: userId, created_at: at }).execute();
        const keyId = ulid();
        const { token, secretHash } = newToken("gnt", keyId);
        await trx.insertInto("api_keys").values({ id: keyId, name: "bootstrap", user_id: userId, secret_hash: secretHash, created_at: at, last_used_at: null, expires_at: null }).execute();
        const system: Principal = { kind: "user", id: "system", name: "system", bindings: [] };
        await recordAudit(trx, system, { action: "bootstrap", targetType: "user", targetId: userId, spaceId: "root", payload: { username: "admin", apiKeyId: keyId } });
        return token;
      });
    },
  };
}

export type UserService = ReturnType<typeof userService>;
