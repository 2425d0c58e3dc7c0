import type { RunState } from "@gantry/contract";
import { traceRunChanges } from "../telemetry/run-spans.js";
import { inTransaction, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import { BlobStore } from "./blob-store.js";
import type { RunEvents } from "./events.js";
import { activeStates, lockStackRow, moveRun } from "./repository.js";
import { runsToPromote } from "./scheduler.js";
import { isTerminal, type RunEvent } from "./transitions.js";

/** What a transaction wants announced once it has committed (never before: a woken worker must see the row). */
export interface Outbox {
  pools: Set<string>;
  changes: [string, RunState][];
  /** Runs queued while APPROVAL policies apply: evaluated once the run is committed. */
  awaitingApproval: string[];
  /** Called once the transaction has committed (wakes background subsystems). */
  afterCommit: (() => void)[];
  /** Blocking runs that reached a terminal state: their TRIGGER policies run once this commits. */
  finishedBlocking: string[];
  /**
   * Work that follows from what committed and must see it (a module version that passed its
   * tests queues its consumers' runs): awaited in order after the commit; a failure is logged and
   * never undoes what committed.
   */
  followUps: { what: string; run: () => Promise<unknown> }[];
}

/** What the dependency module plugs into the engine (see `dependencies/engine-hooks.ts`). */
export interface DependencyHooks {
  /** Whether the stack's queued TRACKED runs must wait: an upstream stack has a blocking run in progress. */
  mustWait(trx: Db, stackId: string): Promise<boolean>;
  /** A blocking run reached a terminal state, inside the transaction that moved it. */
  blockingRunEnded(trx: Db, out: Outbox, run: RunsTable): Promise<void>;
  /** Why a queued TRACKED run of the stack waits, or null. */
  describeWait(db: Db, stackId: string): Promise<string | null>;
}

/**
 * Moves runs and keeps the queues flowing: every state change goes through {@link RunEngine.move},
 * which releases what a finished run held and promotes the next queued runs of its stack.
 */
export class RunEngine {
  readonly blobs: BlobStore;
  /**
   * Lets the APPROVAL policies decide on a run queued while they apply (set by the run service,
   * which holds the policy engine). Called after the commit, so the evaluation sees the run.
   */
  settleQueuedApproval?: (runId: string) => Promise<unknown>;
  /**
   * Called inside the transaction that moves a run to a terminal state, after its stack's queue
   * moved on: what follows from a run's outcome (drift marks, reconcile runs, a scheduled delete)
   * commits or rolls back with the outcome itself, so it happens exactly once.
   */
  readonly onSettled: ((trx: Db, out: Outbox, run: RunsTable) => Promise<void>)[] = [];
  /** Stack dependencies: set by the dependency module when the services are built. */
  dependencies?: DependencyHooks;
  /**
   * Evaluates the TRIGGER policies of a blocking run that reached a terminal state (set by the
   * trigger service). Called after the commit; a failure is logged and never undoes the run's end.
   */
  onBlockingRunFinished?: (runId: string) => Promise<unknown>;

  constructor(
    readonly core: Core,
    readonly events: RunEvents,
  ) {
    this.blobs = new BlobStore(core.box);
  }

  /** Runs `fn` in a transaction and publishes what it collected after the commit. */
  async tx<T>(fn: (trx: Db, out: Outbox) => Promise<T>): Promise<T> {
    const out: Outbox = { pools: new Set(), changes: [], awaitingApproval: [], afterCommit: [], finishedBlocking: [], followUps: [] };
    const result = await inTransaction(this.core.db, (trx) => fn(trx, out));
    for (const [id, state] of out.changes) this.events.runChanged(id, state);
    if (this.core.tracing?.enabled) void traceRunChanges(this.core, out.changes);
    for (const pool of out.pools) this.events.workAvailable(pool);
    for (const fn of out.afterCommit) fn();
    for (const id of out.awaitingApproval) await this.settleQueuedApproval?.(id);
    for (const id of out.finishedBlocking) {
      await this.onBlockingRunFinished?.(id).catch((err: unknown) => this.core.log.error({ err, run: id }, "evaluating trigger policies failed"));
    }
    for (const f of out.followUps) await f.run().catch((err: unknown) => this.core.log.error({ err }, `${f.what} failed`));
    return result;
  }

  /** Applies an event to a run; a terminal run releases its worker and state lock and lets the queue move. */
  async move(trx: Db, out: Outbox, id: string, event: RunEvent, actor: string, extra: { note?: string | null; set?: Partial<RunsTable> } = {}): Promise<RunsTable> {
    const { row } = await moveRun(trx, id, event, actor, extra);
    out.changes.push([id, row.state as RunState]);
    const state = row.state as RunState;
    if (state === "CONFIRMED") out.pools.add(row.pool_id);
    if (isTerminal(state) || state === "UNCONFIRMED" || state === "PENDING_REVIEW") {
      await trx.updateTable("workers").set({ status: "IDLE", current_run_id: null }).where("current_run_id", "=", id).execute();
    }
    if (isTerminal(state)) {
      if (row.blocking === 1) out.finishedBlocking.push(id);
      await trx.deleteFrom("state_locks").where("run_id", "=", id).execute();
      if (row.blocking === 1) await this.dependencies?.blockingRunEnded(trx, out, row);
      await this.promote(trx, out, row.stack_id);
      for (const hook of this.onSettled) await hook(trx, out, row);
    }
    return row;
  }

  /** Promotes the stack's queued runs that may start now (see {@link runsToPromote}). */
  async promote(trx: Db, out: Outbox, stackId: string): Promise<void> {
    await lockStackRow(trx, this.core.dialect, stackId);
    const queued = await trx.selectFrom("runs").select(["id", "type", "blocking", "awaiting_approval"]).where("stack_id", "=", stackId).where("state", "=", "QUEUED").orderBy("id").execute();
    if (queued.length === 0) return;
    const active = await trx.selectFrom("runs").select("id").where("stack_id", "=", stackId).where("blocking", "=", 1).where("state", "in", activeStates).limit(1).executeTakeFirst();
    // Tracked runs apply with their upstreams' outputs: they wait while an upstream is changing.
    const wait = this.dependencies && queued.some((r) => r.type === "TRACKED") ? await this.dependencies.mustWait(trx, stackId) : false;
    const view = queued.map((r) => ({ id: r.id, blocking: r.blocking === 1, awaitingApproval: r.awaiting_approval === 1, waitingForDependencies: wait && r.type === "TRACKED" }));
    for (const id of runsToPromote(view, active !== undefined)) {
      const { row } = await moveRun(trx, id, { kind: "promote" }, "scheduler");
      out.changes.push([id, "READY"]);
      out.pools.add(row.pool_id);
    }
  }
}
