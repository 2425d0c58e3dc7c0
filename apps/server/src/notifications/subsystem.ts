import { periodic } from "../subsystems/periodic.js";
import type { Subsystem } from "../subsystems/subsystem.js";
import { attemptDelivery, type DeliverDeps } from "./deliver.js";
import { fanOutPending, type FanOutDeps } from "./fanout.js";

export interface NotificationSubsystem extends Subsystem {
  /** Something was written to the outbox (or a delivery became due): look now. */
  wake(): void;
  /** Resolves once every pending event is fanned out and no delivery is due or in flight (tests, benchmarks). */
  drained(): Promise<void>;
}

/** Deliveries in flight at once: enough that a few slow receivers do not hold up the rest. */
const CONCURRENCY = 32;

/**
 * The notification deliverer: ONE exclusive subsystem (one replica at a time, under a PostgreSQL
 * advisory lock; another takes over when it dies, and the outbox tables hold everything it had
 * not finished). Each round fans out pending events and starts the deliveries that are due,
 * without waiting for them: a receiver that hangs for its 10 s holds only its own slot.
 */
export function notificationSubsystem(deps: FanOutDeps & DeliverDeps, opts: { intervalMs?: number } = {}): NotificationSubsystem {
  const inFlight = new Map<string, { target: string; done: Promise<void> }>();
  const { db, log } = deps.core;

  const inner = periodic({
    name: "notifications",
    mode: "exclusive",
    intervalMs: opts.intervalMs ?? 1000,
    async round(ctx) {
      while ((await fanOutPending(deps)) > 0 && !ctx.signal.aborted);
      const free = CONCURRENCY - inFlight.size;
      if (free <= 0 || ctx.signal.aborted) return;
      let q = db.selectFrom("notification_deliveries").selectAll().where("status", "=", "PENDING").where("next_attempt_at", "<=", new Date().toISOString()).orderBy("id").limit(4 * CONCURRENCY);
      if (inFlight.size) q = q.where("id", "not in", [...inFlight.keys()]);
      // One delivery per receiver at a time, oldest first: a healthy receiver gets a run's
      // transitions in order. (A retried delivery can still arrive after a later one; payloads
      // carry the event's timestamp for receivers that must order.)
      const busy = new Set([...inFlight.values()].map((f) => f.target));
      const due = await q.execute();
      const start: typeof due = [];
      for (const d of due) {
        const target = `${d.target_kind}:${d.target_id}`;
        if (busy.has(target) || start.length >= free) continue;
        busy.add(target);
        start.push(d);
      }
      for (const d of start) {
        const p = attemptDelivery(deps, d)
          .catch((err: unknown) => ctx.log.error({ err, deliveryId: d.id }, "delivery attempt failed unexpectedly"))
          .finally(() => {
            inFlight.delete(d.id);
            inner.wake();
          });
        inFlight.set(d.id, { target: `${d.target_kind}:${d.target_id}`, done: p });
      }
    },
  });

  return {
    name: inner.name,
    mode: inner.mode,
    async run(ctx) {
      try {
        await inner.run(ctx);
      } finally {
        // Stopping (or losing the lock) waits for the attempts already on the wire to be recorded.
        await Promise.allSettled([...inFlight.values()].map((f) => f.done));
      }
    },
    wake: () => inner.wake(),
    async drained() {
      for (;;) {
        await inner.runNow();
        await Promise.allSettled([...inFlight.values()].map((f) => f.done));
        const events = await db.selectFrom("notification_events").select("id").where("fanned_out_at", "is", null).limit(1).executeTakeFirst();
        const due = await db.selectFrom("notification_deliveries").select("id").where("status", "=", "PENDING").where("next_attempt_at", "<=", new Date().toISOString()).limit(1).executeTakeFirst();
        if (!events && !due && inFlight.size === 0) return;
        log.trace("notifications not drained yet");
      }
    },
  };
}
