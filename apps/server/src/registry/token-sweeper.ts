import { terminalRunStates } from "@gantry/contract";
import type { ExpressionBuilder } from "kysely";
import type { Db } from "../db/connect.js";
import type { Database } from "../db/schema.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";

/** Rows deleted by one sweep, by kind. */
export interface RegistryTokenSweep { expired: number; ofEndedRuns: number; providerPins: number; runApiTokens: number }

/**
 * Deletes registry tokens that can never work again: a person's past its expiry (90 days after
 * `terraform login`), and a run's once its run has ended or no longer exists (a run's token
 * works only while the run executes; a run waiting for confirmation keeps its token until its
 * next phase replaces it). Authentication already refuses all of them; this keeps the table the
 * size of the live tokens and their hashes out of backups. The provider versions ended runs'
 * lock files pinned (`run_provider_pins`, read only while a run installs providers) go with them,
 * and so do administrative runs' public-API tokens (`run_api_tokens`, auth/run-api-tokens.ts),
 * which die the same way: with their run, or at their backstop expiry.
 */
export async function sweepRegistryTokens(db: Db, at: Date): Promise<RegistryTokenSweep> {
  const endedOrGone = (table: "registry_tokens" | "run_provider_pins" | "run_api_tokens") => (eb: ExpressionBuilder<Database, typeof table>) => eb.or([
    eb(`${table}.run_id`, "in", eb.selectFrom("runs").select("id").where("state", "in", [...terminalRunStates])),
    eb.not(eb.exists(eb.selectFrom("runs").select("id").whereRef("runs.id", "=", `${table}.run_id`))),
  ]);
  const expired = await db.deleteFrom("registry_tokens").where("expires_at", "is not", null).where("expires_at", "<=", at.toISOString()).executeTakeFirst();
  const ofEndedRuns = await db
    .deleteFrom("registry_tokens")
    .where("run_id", "is not", null)
    .where(endedOrGone("registry_tokens"))
    .executeTakeFirst();
  const providerPins = await db.deleteFrom("run_provider_pins").where(endedOrGone("run_provider_pins")).executeTakeFirst();
  const runApiTokens = await db.deleteFrom("run_api_tokens")
    .where((eb) => eb.or([eb("expires_at", "<=", at.toISOString()), endedOrGone("run_api_tokens")(eb)]))
    .executeTakeFirst();
  return {
    expired: Number(expired.numDeletedRows), ofEndedRuns: Number(ofEndedRuns.numDeletedRows),
    providerPins: Number(providerPins.numDeletedRows), runApiTokens: Number(runApiTokens.numDeletedRows),
  };
}

/** How often the sweep runs: dead tokens are already refused, so there is no hurry. */
const SWEEP_INTERVAL_MS = 15 * 60_000;

/** The registry token sweeper: one exclusive background subsystem (one replica sweeps). */
export function registryTokenSweeperSubsystem(db: Db, clock: () => Date, opts: { intervalMs?: number } = {}): PeriodicSubsystem {
  return periodic({
    name: "registry-token-sweeper",
    mode: "exclusive",
    intervalMs: opts.intervalMs ?? SWEEP_INTERVAL_MS,
    async round(ctx) {
      const swept = await sweepRegistryTokens(db, clock());
      if (swept.expired + swept.ofEndedRuns + swept.providerPins + swept.runApiTokens > 0) ctx.log.info(swept, "deleted registry and run API tokens that can no longer be used, and ended runs' provider pins");
    },
  });
}
