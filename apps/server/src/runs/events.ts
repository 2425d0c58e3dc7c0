import { EventEmitter } from "node:events";
import type { RunLogEntry, RunState } from "@gantry/contract";

/**
 * In-process notifications of the run engine. Dispatch is event-driven: a run becoming
 * claimable wakes the long-polling workers of its pool at once, and log appends and state
 * changes feed live streams. Across PostgreSQL replicas `relay` forwards them (see
 * `pg-relay.ts`); within one process the emitter is the whole story.
 */
export class RunEvents {
  private readonly emitter = new EventEmitter();
  /**
   * Forwards events to the other replicas (set by the PostgreSQL relay). It resolves once the
   * event is on its way, so a caller that awaits it keeps the order of its own events.
   */
  relay?: (event: RelayedEvent) => Promise<void>;

  constructor() {
    // One listener per long-polling worker and per live log stream.
    this.emitter.setMaxListeners(0);
  }

  /** A run of `poolId` became claimable. */
  workAvailable(poolId: string): void {
    this.emitter.emit(`work:${poolId}`);
    void this.relay?.({ kind: "work", poolId });
  }

  /**
   * An event another replica published: delivered here only, never relayed again. A log event
   * is only a pointer: the relay reads the entry and hands it to {@link deliverLog}.
   */
  deliver(event: Exclude<RelayedEvent, { kind: "log" }>): void {
    if (event.kind === "work") this.emitter.emit(`work:${event.poolId}`);
    else this.emitter.emit(`run:${event.runId}`, event.state);
  }

  /** A log entry written through another replica. */
  deliverLog(runId: string, entry: RunLogEntry): void {
    this.emitter.emit(`log:${runId}`, entry);
  }

  /** Whether anyone here follows the run's log (so a relayed pointer is worth reading). */
  followed(runId: string): boolean {
    return this.emitter.listenerCount(`log:${runId}`) > 0;
  }

  /** Resolves when work for the pool appears, or after `ms`; `cancel` detaches early. */
  waitForWork(poolId: string, ms: number, signal?: AbortSignal): { promise: Promise<void>; cancel(): void } {
    let cancel = () => {};
    const promise = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(`work:${poolId}`, done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.emitter.on(`work:${poolId}`, done);
      signal?.addEventListener("abort", done);
      cancel = done;
    });
    return { promise, cancel };
  }

  runChanged(runId: string, state: RunState): void {
    this.emitter.emit(`run:${runId}`, state);
    // Only changes made on this replica: a consumer with side effects (VCS feedback) acts once.
    this.emitter.emit("run-changed-here", runId, state);
    void this.relay?.({ kind: "run", runId, state });
  }

  /**
   * A log entry was stored. Other replicas get a pointer (run id and sequence number), never the
   * text: a NOTIFY payload is limited to 8000 bytes and a batch of log text is not.
   */
  async logAppended(runId: string, entry: RunLogEntry): Promise<void> {
    this.emitter.emit(`log:${runId}`, entry);
    await this.relay?.({ kind: "log", runId, seq: entry.seq });
  }

  /** Every state change of any run made by this process (not those relayed from other replicas). */
  onRunChanged(listener: (runId: string, state: RunState) => void): () => void {
    this.emitter.on("run-changed-here", listener);
    return () => this.emitter.off("run-changed-here", listener);
  }

  /** Follows a run's log entries and state changes; returns the function that stops following. */
  follow(runId: string, on: { log(entry: RunLogEntry): void; state(state: RunState): void }): () => void {
    this.emitter.on(`log:${runId}`, on.log);
    this.emitter.on(`run:${runId}`, on.state);
    return () => {
      this.emitter.off(`log:${runId}`, on.log);
      this.emitter.off(`run:${runId}`, on.state);
    };
  }
}

/** What replicas tell each other: small, so it fits a NOTIFY payload. */
export type RelayedEvent = { kind: "work"; poolId: string } | { kind: "run"; runId: string; state: RunState } | { kind: "log"; runId: string; seq: number };
