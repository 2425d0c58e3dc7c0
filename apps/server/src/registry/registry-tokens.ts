import { randomBytes, timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import type { Principal } from "../auth/principal.js";
import { sha256Hex } from "../crypto/secret-box.js";
import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import { now, toBool } from "../db/rows.js";
import { AppError } from "../errors.js";
import { userBindings } from "../users/authenticate.js";

/** Prefix of registry tokens: `grt_<id>_<secret>` (256 random bits; only the SHA-256 is stored). */
export const REGISTRY_TOKEN_PREFIX = "grt_";

/** How long a person's registry token (from `terraform login`) lives unless revoked earlier. */
export const PERSON_REGISTRY_TOKEN_TTL_MS = 90 * 86_400_000;

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function newSecret(): { id: string; secret: string; token: string } {
  const id = ulid();
  const secret = randomBytes(32).toString("base64url");
  return { id, secret, token: `${REGISTRY_TOKEN_PREFIX}${id}_${secret}` };
}

/**
 * Mints the registry token of one run phase, replacing the run's earlier one. It is accepted
 * only by the registry protocols (modules, providers, mirror), only while the run executes, and
 * only for what the run's stack may use: the run's CLI config carries it instead of the run
 * token, so terraform (and any code it runs) never holds a credential that reports or uploads.
 */
export async function mintRunRegistryToken(db: Db, runId: string): Promise<string> {
  const t = newSecret();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("registry_tokens").where("run_id", "=", runId).execute();
    await trx.insertInto("registry_tokens").values({ id: t.id, secret_hash: sha256Hex(t.secret), run_id: runId, user_id: null, description: `run ${runId}`, created_at: now(), expires_at: null, last_used_at: null }).execute();
  });
  return t.token;
}

/** Mints a person's registry token (what `terraform login` stores), revocable, expiring after 90 days. */
export async function mintPersonRegistryToken(db: Db, userId: string, description: string): Promise<{ id: string; token: string; expiresAt: string }> {
  const t = newSecret();
  const createdAt = now();
  const expiresAt = new Date(Date.parse(createdAt) + PERSON_REGISTRY_TOKEN_TTL_MS).toISOString();
  await db.insertInto("registry_tokens").values({ id: t.id, secret_hash: sha256Hex(t.secret), run_id: null, user_id: userId, description, created_at: createdAt, expires_at: expiresAt, last_used_at: null }).execute();
  return { id: t.id, token: t.token, expiresAt };
}

const refused = (why: string) => new AppError("unauthenticated", `the registry token ${why}: runs get a fresh one with each phase; people run \`terraform login <host>\` again or use an API key`);

/**
 * Resolves a registry token to the run it belongs to, or to the person (with their role
 * bindings) who logged in with it. Deleting runs or users leaves tokens that no longer resolve.
 */
export async function authenticateRegistryToken(db: Db, token: string): Promise<{ kind: "run"; run: RunsTable } | { kind: "user"; principal: Principal }> {
  const m = /^grt_([0-9A-Za-z]+)_([A-Za-z0-9_-]{20,})$/.exec(token);
  if (!m) throw refused("is malformed");
  const row = await db.selectFrom("registry_tokens").selectAll().where("id", "=", m[1]!).executeTakeFirst();
  if (!row || !sameHash(row.secret_hash, sha256Hex(m[2]!))) throw refused("is unknown, revoked or replaced");
  const at = now();
  if (row.expires_at && row.expires_at <= at) throw refused("has expired");
  if (row.run_id) {
    const run = await db.selectFrom("runs").selectAll().where("id", "=", row.run_id).executeTakeFirst();
    if (!run) throw refused("belongs to a run that no longer exists");
    return { kind: "run", run };
  }
  const user = await db.selectFrom("users").select(["id", "username", "display_name", "disabled"]).where("id", "=", row.user_id ?? "").executeTakeFirst();
  if (!user || toBool(user.disabled)) throw refused("belongs to an account that is disabled or deleted");
  if (!row.last_used_at || Date.parse(at) - Date.parse(row.last_used_at) > 60_000) await db.updateTable("registry_tokens").set({ last_used_at: at }).where("id", "=", row.id).execute();
  return { kind: "user", principal: { kind: "user", id: user.id, name: user.username, displayName: user.display_name, bindings: await userBindings(db, user.id) } };
}
