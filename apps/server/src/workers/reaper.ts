import type { RunState } from "@gantry/contract";
import { sql } from "kysely";
import type { RunEngine } from "../runs/engine.js";
import { releaseRunWorker } from "../runs/repository.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";

/** The advisory lock key under which one replica reaps at a time. */
const REAPER_LOCK = 48_100_001;

/** States in which a run depends on a live worker. */
const workerStates: RunState[] = ["PREPARING", "INITIALIZING", "PLANNING", "APPLYING", "PERFORMING", "DESTROYING"];
/** States in which a run waits for a person (or, confirmed, for a worker) with its workspace saved. */
const waitingStates: RunState[] = ["UNCONFIRMED", "PENDING_REVIEW", "CONFIRMED"];

export interface ReaperOptions {
  /** A worker silent for longer is declared gone. */
  heartbeatTimeoutMs: number;
  /** How often to look. The reaper only handles failures; dispatch never waits on it. */
  intervalMs: number;
}

/**
 * Declares silent workers gone. Their runs in a working state fail with the reason (which
 * releases the state lock and lets the stack's queue move); a planned run whose workspace was
 * saved is handed back, so another worker applies it once confirmed.
 */
export async function reapOnce(engine: RunEngine, heartbeatTimeoutMs: number, at = Date.now(), watchingSince = 0): Promise<string[]> {
  // A worker's silence counts only from when this reaper could hear it (see reaperSubsystem):
  // until one timeout has passed since then, no worker can have been silent long enough.
  if (watchingSince > at - heartbeatTimeoutMs) return [];
  const cutoff = new Date(at - heartbeatTimeoutMs).toISOString();
  const failed: string[] = [];
  // One transaction per round; on PostgreSQL one replica reaps at a time (the others skip the round).
  await engine.tx(async (trx, out) => {
    if (engine.core.dialect === "postgres") {
      const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_xact_lock(${REAPER_LOCK}) as got`.execute(trx);
      if (!rows[0]?.got) return;
    }
    const dead = await trx.selectFrom("workers").selectAll().where("status", "!=", "GONE").where("last_heartbeat_at", "<", cutoff).execute();
    for (const w of dead) {
      await trx.updateTable("workers").set({ status: "GONE", current_run_id: null }).where("id", "=", w.id).execute();
      const runs = await trx.selectFrom("runs").select(["id", "state", "pool_id"]).where("worker_id", "=", w.id).where("state", "in", [...workerStates, ...waitingStates]).execute();
      for (const r of runs) {
        const saved = await trx.selectFrom("blobs").select("id").where("owner_type", "=", "run").where("owner_id", "=", r.id).where("kind", "=", "workspace").executeTakeFirst();
        if (waitingStates.includes(r.state as RunState) && saved) {
          // Planned and saved: any other worker can apply it.
          await releaseRunWorker(trx, r.id);
          if (r.state === "CONFIRMED") out.pools.add(r.pool_id);
          continue;
        }
        const note = `worker ${w.name} (${w.id}) stopped heartbeating (last seen ${w.last_heartbeat_at})${waitingStates.includes(r.state as RunState) ? " before saving the planned workspace" : ""}: the run was failed and its state lock released; retry it`;
        await engine.move(trx, out, r.id, { kind: "fail", by: "reaper" }, "reaper", { note });
        failed.push(r.id);
      }
    }
  });
  return failed;
}

/**
 * The reaper as an exclusive subsystem: one replica reaps, every `intervalMs`.
 *
 * Grace after a start: while the server was down (restarting after a crash, or its database
 * away), workers could not heartbeat, so their last heartbeat says nothing about whether they
 * are alive. Silence is therefore counted from when this reaper began watching: the subsystem's
 * start on this replica, which is also when it takes the exclusive lock over and when the runner
 * restarts it after a failed round (a database outage). A worker that is alive reports within
 * one timeout of the server coming back; one that is not is reaped one timeout after it.
 */
export function reaperSubsystem(engine: RunEngine, opts: ReaperOptions & { clock?: () => number }): PeriodicSubsystem {
  const now = opts.clock ?? Date.now;
  let watchingSince = now();
  const reaper = periodic({ name: "reaper", mode: "exclusive", intervalMs: opts.intervalMs, round: async () => void (await reapOnce(engine, opts.heartbeatTimeoutMs, now(), watchingSince)) });
  return {
    ...reaper,
    run(ctx) {
      watchingSince = now();
      return reaper.run(ctx);
    },
  };
}
