import { randomBytes, timingSafeEqual } from "node:crypto";
import type { RunState } from "@gantry/contract";
import { ulid } from "ulid";
import { sha256Hex } from "../crypto/secret-box.js";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";
import { AppError } from "../errors.js";
import { executingStates } from "../runs/repository.js";
import type { Principal } from "./principal.js";

/** Prefix of run API tokens: `gra_<id>_<secret>` (256 random bits; only the SHA-256 is stored). */
export const RUN_API_TOKEN_PREFIX = "gra_";

/**
 * Backstop lifetime of a run API token. The token normally dies earlier, when its run leaves
 * the states in which a worker executes it; the expiry bounds the damage of a run that never
 * ends (a lost worker the reaper has not noticed yet). Longer than the worker's default run
 * timeout (2 h) so a legitimate long apply is not cut off.
 */
export const DEFAULT_RUN_API_TOKEN_TTL_MS = 3 * 3_600_000;


const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Mints the public-API token for one phase of an administrative run: admin on the stack's
 * space (and so its subtree), nothing above or beside it. Earlier tokens of the run are
 * deleted, so only the phase being executed holds a working one.
 */
export async function mintRunApiToken(db: Db, run: { id: string }, spaceId: string, ttlMs = DEFAULT_RUN_API_TOKEN_TTL_MS): Promise<string> {
  const id = ulid();
  const secret = randomBytes(32).toString("base64url");
  const createdAt = now();
  const expiresAt = new Date(Date.parse(createdAt) + ttlMs).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("run_api_tokens").where("run_id", "=", run.id).execute();
    await trx.insertInto("run_api_tokens").values({ id, run_id: run.id, space_id: spaceId, secret_hash: sha256Hex(secret), created_at: createdAt, expires_at: expiresAt }).execute();
  });
  return `${RUN_API_TOKEN_PREFIX}${id}_${secret}`;
}

/** True when the bearer token has the run API token shape (so its refusal can say why). */
export const isRunApiToken = (token: string): boolean => token.startsWith(RUN_API_TOKEN_PREFIX);

const refused = (why: string) => new AppError("unauthenticated", `the run API token ${why}: it works only inside its administrative run while that run executes; use an API key outside runs`);

/**
 * Resolves a run API token to a principal of kind "run" whose only binding is admin on the
 * stack's space. Refuses (401, with the reason) a token that is unknown, replaced by a later
 * phase's, expired, or whose run is not executing (finished, failed, waiting for a person).
 */
export async function authenticateRunApiToken(db: Db, token: string): Promise<Principal> {
  const m = /^gra_([0-9A-Za-z]+)_([A-Za-z0-9_-]{20,})$/.exec(token);
  if (!m) throw refused("is malformed");
  const row = await db
    .selectFrom("run_api_tokens")
    .innerJoin("runs", "runs.id", "run_api_tokens.run_id")
    .select(["run_api_tokens.id", "run_api_tokens.secret_hash", "run_api_tokens.space_id", "run_api_tokens.expires_at", "runs.id as run_id", "runs.stack_id", "runs.state"])
    .where("run_api_tokens.id", "=", m[1]!)
    .executeTakeFirst();
  if (!row || !sameHash(row.secret_hash, sha256Hex(m[2]!))) throw refused("is unknown or was replaced by a later phase of its run");
  if (row.expires_at <= now()) throw refused(`expired at ${row.expires_at}`);
  if (!executingStates.includes(row.state as RunState)) throw refused(`belongs to run ${row.run_id}, which is ${row.state}`);
  return {
    kind: "run",
    id: row.run_id,
    name: `run ${row.run_id} of stack ${row.stack_id}`,
    bindings: [{ spaceId: row.space_id, role: "admin" }],
    credential: { type: "runApiToken", id: row.id },
    stackId: row.stack_id,
  };
}
