import { terminalRunStates } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";

/** Rows deleted by one sweep, by kind. */
export interface RegistryTokenSweep { expired: number; ofEndedRuns: number }

/**
 * Deletes registry tokens that can never work again: a person's past its expiry (90 days after
 * `terraform login`), and a run's once its run has ended or no longer exists (a run's token
 * works only while the run executes; a run waiting for confirmation keeps its token until its
 * next phase replaces it). Authentication already refuses all of them; this keeps the table the
 * size of the live tokens and their hashes out of backups.
 */
export async function sweepRegistryTokens(db: Db, at: Date): Promise<RegistryTokenSweep> {
  const expired = await db.deleteFrom("registry_tokens").where("expires_at", "is not", null).where("expires_at", "<=", at.toISOString()).executeTakeFirst();
  const ofEndedRuns = await db
    .deleteFrom("registry_tokens")
    .where("run_id", "is not", null)
    .where((eb) => eb.or([
      eb("run_id", "in", eb.selectFrom("runs").select("id").where("state", "in", [...terminalRunStates])),
      eb.not(eb.exists(eb.selectFrom("runs").select("id").whereRef("runs.id", "=", "registry_tokens.run_id"))),
    ]))
    .executeTakeFirst();
  return { expired: Number(expired.numDeletedRows), ofEndedRuns: Number(ofEndedRuns.numDeletedRows) };
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
      if (swept.expired + swept.ofEndedRuns > 0) ctx.log.info(swept, "deleted registry tokens that can no longer be used");
    },
  });
}
