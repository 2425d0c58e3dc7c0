import { timingSafeEqual } from "node:crypto";
import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import { parseMachineToken } from "./tokens.js";

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A worker authenticated by its pool's token. */
export interface PoolCredential {
  tokenId: string;
  poolId: string;
}

const unauthenticated = (what: string) => new AppError("unauthenticated", `${what} is not valid (unknown, replaced or expired): use a current token`);

/** Resolves a worker-pool token (`gwp_...`). User API keys are refused: only workers speak this protocol. */
export async function authenticatePool(db: Db, token: string | undefined): Promise<PoolCredential> {
  const parsed = token ? parseMachineToken(token, "gwp") : undefined;
  if (!parsed) throw new AppError("unauthenticated", "the worker protocol needs a worker-pool token (gwp_...) as 'Authorization: Bearer <token>'");
  const row = await db.selectFrom("worker_tokens").selectAll().where("id", "=", parsed.id).executeTakeFirst();
  if (!row || !sameHash(row.secret_hash, parsed.secretHash)) throw unauthenticated("the worker-pool token");
  return { tokenId: row.id, poolId: row.pool_id };
}

/** Resolves a run token (`gnr_<runId>_...`): valid while the run is not terminal and the token is its latest. */
export async function authenticateRun(db: Db, token: string | undefined): Promise<RunsTable> {
  const parsed = token ? parseMachineToken(token, "gnr") : undefined;
  if (!parsed) throw new AppError("unauthenticated", "this call needs the run's token (gnr_...), handed to the worker with the job");
  const run = await db.selectFrom("runs").selectAll().where("id", "=", parsed.id).executeTakeFirst();
  if (!run || !run.token_hash || !sameHash(run.token_hash, parsed.secretHash)) throw unauthenticated("the run token");
  return run;
}
