import type { Logger } from "pino";

/**
 * A named piece of background work (reaper, VCS poller, drift scheduler, outbox deliverer, ...).
 *
 * `run` does the work until `signal` aborts, then returns. When it throws (or returns while it
 * should still run) the runner logs it and starts it again after a backoff, so one bad round never
 * stops a subsystem for good.
 */
export interface Subsystem {
  /** Short, stable name, used in logs, `/readyz`-style status and the advisory lock key. */
  name: string;
  /**
   * `every-replica`: each server process runs its own copy (in-process event listeners, the
   * PostgreSQL relay). `exclusive`: one replica at a time runs it, under a PostgreSQL session
   * advisory lock; another replica takes over within seconds when the holder dies. On SQLite
   * there is one process, so exclusive is trivially held.
   */
  mode: "every-replica" | "exclusive";
  run(ctx: SubsystemContext): Promise<void>;
}

export interface SubsystemContext {
  /** Aborted when the subsystem must stop: shutdown, or (exclusive) the lock was lost. */
  signal: AbortSignal;
  log: Logger;
}

/** What the runner reports about one subsystem. */
export interface SubsystemStatus {
  name: string;
  mode: Subsystem["mode"];
  /** `running` (holding the lock if exclusive), `standby` (exclusive, another replica holds it), `backoff` after a failure, `stopped`. */
  state: "running" | "standby" | "backoff" | "stopped";
  restarts: number;
  lastError: string | null;
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
