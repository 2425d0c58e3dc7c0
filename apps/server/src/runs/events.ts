import { EventEmitter } from "node:events";
import type { RunLogEntry, RunState } from "@gantry/contract";

/**
 * In-process notifications of the run engine. Dispatch is event-driven: a run becoming
 * claimable wakes the long-polling workers of its pool at once, and log appends and state
 * changes feed live streams. (Across PostgreSQL replicas these would be relayed through
 * LISTEN/NOTIFY; within one process the emitter is the whole story.)
 */
export class RunEvents {
  private readonly emitter = new EventEmitter();
  /** Forwards work and state events to the other replicas (set by the PostgreSQL relay). */
  relay?: (event: RelayedEvent) => void;

  constructor() {
    // One listener per long-polling worker and per live log stream.
    this.emitter.setMaxListeners(0);
  }

  /** A run of `poolId` became claimable. */
  workAvailable(poolId: string): void {
    this.emitter.emit(`work:${poolId}`);
    this.relay?.({ kind: "work", poolId });
  }

  /** An event another replica published: delivered here only, never relayed again. */
  deliver(event: RelayedEvent): void {
    if (event.kind === "work") this.emitter.emit(`work:${event.poolId}`);
    else this.emitter.emit(`run:${event.runId}`, event.state);
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
    this.relay?.({ kind: "run", runId, state });
  }

  logAppended(runId: string, entry: RunLogEntry): void {
    this.emitter.emit(`log:${runId}`, entry);
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
export type RelayedEvent = { kind: "work"; poolId: string } | { kind: "run"; runId: string; state: RunState };
