import type { Overview, RunState } from "@gantry/contract";
import type { Principal } from "../auth/principal.js";
import { scoped, type Core } from "../core.js";
import { DEFAULT_POOL } from "../runs/pool.js";
import { runFromRow } from "../runs/rows.js";

/** States in which a worker is (or is about to be) busy with a run. */
const inProgress: RunState[] = ["READY", "PREPARING", "INITIALIZING", "PLANNING", "CONFIRMED", "APPLYING", "PERFORMING", "DESTROYING"];
/** States in which a run waits for a person to confirm, discard or review it. */
const waitingForPeople: RunState[] = ["UNCONFIRMED", "PENDING_REVIEW"];
const LIST_LIMIT = 50;
const FAILURE_WINDOW_MS = 7 * 24 * 3_600_000;

/**
 * The bird's-eye view behind the web UI's overview page: a handful of grouped queries, each
 * limited to the spaces the caller can read, so it stays cheap with 10,000 stacks.
 */
export function overviewService(core: Core) {
  const { db } = core;
  return {
    async get(actor: Principal): Promise<Overview> {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      const at = new Date().toISOString();
      const empty: Overview = { stacks: { total: 0, byState: {} }, runsInProgress: [], runsWaitingForPeople: [], recentFailures: [], workerPools: [], at };
      if (visible !== "all" && visible.length === 0) return empty;

      let counts = db.selectFrom("stacks").select(["state", db.fn.countAll<number>().as("n")]).where("module_id", "is", null).groupBy("state");
      if (visible !== "all") counts = counts.where("space_id", "in", visible);
      const byState: Overview["stacks"]["byState"] = {};
      let total = 0;
      for (const r of await counts.execute()) {
        byState[r.state as keyof typeof byState] = Number(r.n);
        total += Number(r.n);
      }

      const runs = () => {
        let q = db.selectFrom("runs").innerJoin("stacks", "stacks.id", "runs.stack_id").selectAll("runs");
        if (visible !== "all") q = q.where("stacks.space_id", "in", visible);
        return q;
      };
      const [active, waiting, failed] = await Promise.all([
        runs().where("runs.state", "in", inProgress).orderBy("runs.id", "desc").limit(LIST_LIMIT).execute(),
        runs()
          .where((eb) => eb.or([eb("runs.state", "in", waitingForPeople), eb.and([eb("runs.state", "=", "QUEUED"), eb("runs.awaiting_approval", "=", 1)])]))
          .orderBy("runs.id", "desc").limit(LIST_LIMIT).execute(),
        runs().where("runs.state", "=", "FAILED").where("runs.updated_at", ">=", new Date(Date.now() - FAILURE_WINDOW_MS).toISOString())
          .orderBy("runs.updated_at", "desc").limit(LIST_LIMIT).execute(),
      ]);

      let pools = db.selectFrom("worker_pools").select(["id", "name"]).orderBy("name");
      if (visible !== "all") pools = pools.where("space_id", "in", visible);
      // The built-in pool (stacks without a private pool) has no row; everyone sees its load.
      const poolRows = [{ id: DEFAULT_POOL, name: "built-in" }, ...(await pools.execute())];
      const ids = poolRows.map((p) => p.id);
      const workers = await db.selectFrom("workers").select(["pool_id", "status", db.fn.countAll<number>().as("n")]).where("pool_id", "in", ids).where("status", "in", ["IDLE", "BUSY"]).groupBy(["pool_id", "status"]).execute();
      const queued = await db.selectFrom("runs").select(["pool_id", db.fn.countAll<number>().as("n"), db.fn.min("created_at").as("oldest")]).where("pool_id", "in", ids).where("state", "=", "QUEUED").groupBy("pool_id").execute();
      const workerPools = poolRows.map((p) => {
        const count = (status: string) => Number(workers.find((w) => w.pool_id === p.id && w.status === status)?.n ?? 0);
        const q = queued.find((r) => r.pool_id === p.id);
        return { id: p.id, name: p.name, busy: count("BUSY"), idle: count("IDLE"), queued: Number(q?.n ?? 0), oldestQueuedAt: (q?.oldest as string | undefined) ?? null };
      });

      return {
        stacks: { total, byState },
        runsInProgress: active.map(runFromRow),
        runsWaitingForPeople: waiting.map(runFromRow),
        recentFailures: failed.map(runFromRow),
        workerPools,
        at,
      };
    },
  };
}
