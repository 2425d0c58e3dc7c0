import type { Logger } from "pino";
import { PgSubsystemLocks } from "./pg-locks.js";
import { sleep, type Subsystem, type SubsystemStatus } from "./subsystem.js";

export interface RunnerOptions {
  log: Logger;
  /** The PostgreSQL URL when replicas share a database; exclusive subsystems then take advisory locks. */
  postgresUrl?: string;
  /** First delay before restarting a subsystem that threw; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often a standby replica tries an exclusive lock, and the holder checks its connection. */
  lockCheckMs?: number;
}

interface Entry {
  subsystem: Subsystem;
  status: SubsystemStatus;
  stop: AbortController;
  done: Promise<void> | null;
}

/** A subsystem that ran this long without failing starts its next backoff from the beginning. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Runs every background subsystem of a server process: restarts each with backoff when it throws,
 * runs exclusive ones on one replica at a time (see {@link PgSubsystemLocks}), and stops them in
 * reverse order of registration, so a subsystem can rely on those registered before it.
 */
export class SubsystemRunner {
  private readonly entries: Entry[] = [];
  private readonly locks: PgSubsystemLocks | null;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly lockCheckMs: number;
  private checker: ReturnType<typeof setInterval> | null = null;
  private started = false;

  constructor(private readonly opts: RunnerOptions) {
    this.locks = opts.postgresUrl ? new PgSubsystemLocks(opts.postgresUrl, opts.log) : null;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000;
    this.lockCheckMs = opts.lockCheckMs ?? 2000;
  }

  /** Registers a subsystem; it starts with {@link start}, or at once if the runner already runs. */
  add(subsystem: Subsystem): this {
    if (this.entries.some((e) => e.subsystem.name === subsystem.name)) throw new Error(`subsystem ${subsystem.name} is registered twice`);
    const entry: Entry = { subsystem, status: { name: subsystem.name, mode: subsystem.mode, state: "stopped", restarts: 0, lastError: null }, stop: new AbortController(), done: null };
    this.entries.push(entry);
    if (this.started) this.launch(entry);
    return this;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries) this.launch(entry);
    if (this.locks) {
      const locks = this.locks;
      this.checker = setInterval(() => void locks.check(), this.lockCheckMs);
      this.checker.unref();
    }
  }

  status(): SubsystemStatus[] {
    return this.entries.map((e) => ({ ...e.status }));
  }

  /** Stops every subsystem, last registered first, waiting for each; then gives the locks back. */
  async stop(): Promise<void> {
    if (this.checker) clearInterval(this.checker);
    for (const entry of [...this.entries].reverse()) {
      entry.stop.abort();
      await entry.done;
      entry.status.state = "stopped";
    }
    await this.locks?.close();
    this.started = false;
  }

  private launch(entry: Entry): void {
    const body = entry.subsystem.mode === "exclusive" && this.locks ? this.exclusive(entry, this.locks) : this.supervise(entry, entry.stop.signal);
    entry.done = body.catch((err: unknown) => this.opts.log.error({ err, subsystem: entry.subsystem.name }, "subsystem supervisor failed"));
  }

  /** Waits for the lock (standby), runs while it is held, and goes back to waiting if it is lost. */
  private async exclusive(entry: Entry, locks: PgSubsystemLocks): Promise<void> {
    const { name } = entry.subsystem;
    const log = this.opts.log.child({ subsystem: name });
    while (!entry.stop.signal.aborted) {
      let got = false;
      try {
        got = await locks.tryLock(name);
      } catch (err) {
        entry.status.lastError = (err as Error).message;
        log.warn({ err }, `subsystem ${name}: cannot reach PostgreSQL for its exclusive lock; retrying`);
      }
      if (!got) {
        entry.status.state = "standby";
        await sleep(this.lockCheckMs, entry.stop.signal);
        continue;
      }
      log.info(`subsystem ${name}: this replica holds the exclusive lock and runs it`);
      await this.supervise(entry, AbortSignal.any([entry.stop.signal, locks.lost]));
      if (entry.stop.signal.aborted) await locks.unlock(name);
    }
  }

  /** Runs the subsystem until `signal` aborts, restarting it with exponential backoff when it fails. */
  private async supervise(entry: Entry, signal: AbortSignal): Promise<void> {
    const { subsystem, status } = entry;
    const log = this.opts.log.child({ subsystem: subsystem.name });
    let delay = this.initialBackoffMs;
    while (!signal.aborted) {
      const startedAt = Date.now();
      status.state = "running";
      try {
        await subsystem.run({ signal, log });
        if (signal.aborted) return;
        throw new Error("it returned while it should still be running");
      } catch (err) {
        if (signal.aborted) return;
        if (Date.now() - startedAt > HEALTHY_AFTER_MS) delay = this.initialBackoffMs;
        status.restarts++;
        status.lastError = (err as Error).message;
        status.state = "backoff";
        log.error({ err, restartInMs: delay }, `subsystem ${subsystem.name} failed: ${(err as Error).message}; restarting in ${delay} ms`);
        await sleep(delay, signal);
        delay = Math.min(delay * 2, this.maxBackoffMs);
      }
    }
  }
}
