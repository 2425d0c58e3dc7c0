import { sql } from "kysely";
import type { Db, Dialect } from "../db/connect.js";
import { now } from "../db/rows.js";
import type { RunsTable } from "../db/schema.js";
import { AppError, conflict, notFound } from "../errors.js";
import { decide, isTerminal, type RunEvent } from "./transitions.js";
import type { RunState, RunType, Stack } from "@gantry/contract";
import { newRunId } from "./ids.js";
import { setStackState } from "../stacks/repository.js";
import { recordNotificationEvent } from "../notifications/events.js";

export async function loadRun(db: Db, id: string): Promise<RunsTable> {
  const row = await db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("run", id);
  return row;
}

/** The stack's summary state follows its latest blocking run. */
function stackStateFor(state: RunState): Stack["state"] | undefined {
  if (state === "READY") return "QUEUED";
  if (state === "SKIPPED") return undefined;
  return state;
}

export interface Moved {
  row: RunsTable;
  from: RunState;
}

/**
 * Applies an event to a run inside the caller's transaction: asks {@link decide}, stores the new
 * state only if the run is still in the state the decision was made from (so two concurrent
 * movers cannot both win), and records the transition with its cause. Refusals are `conflict`s.
 */
export async function moveRun(
  trx: Db,
  id: string,
  event: RunEvent,
  actor: string,
  extra: { note?: string | null; set?: Partial<RunsTable> } = {},
): Promise<Moved> {
  const row = await loadRun(trx, id);
  const from = row.state as RunState;
  const d = decide({ type: row.type as RunType, state: from }, event);
  if (!d.ok) throw new AppError("conflict", `run ${id}: ${d.reason}`, { state: from });
  const at = now();
  const set: Partial<RunsTable> = { ...extra.set, state: d.to, updated_at: at };
  if (d.to === "FAILED" && extra.note && !set.failure_reason) set.failure_reason = extra.note;
  // A finished run's credential dies with it. A run waiting for a person keeps it (and its
  // worker) until that worker has uploaded the workspace: see `releaseAfterUpload`.
  if (isTerminal(d.to)) set.token_hash = null;
  const res = await trx.updateTable("runs").set(set).where("id", "=", id).where("state", "=", from).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw conflict(`run ${id} changed while moving it from ${from}: reload it and try again`);
  await trx
    .insertInto("run_transitions")
    .values({ id: newRunId(), run_id: id, from_state: from, to_state: d.to, cause: d.cause, actor, note: extra.note ?? null, at })
    .execute();
  // Every transition is a notification event, committed with the transition itself.
  await recordNotificationEvent(trx, { kind: "run_updated", runId: id, stackId: row.stack_id, from, to: d.to, note: extra.note ?? null, username: actor });
  if (row.blocking === 1) {
    const s = stackStateFor(d.to);
    if (s) await setStackState(trx, row.stack_id, s);
  }
  return { row: { ...row, ...set } as RunsTable, from };
}

/** Serializes scheduling decisions of one stack across PostgreSQL connections (SQLite writers are serial already). */
export async function lockStackRow(trx: Db, dialect: Dialect, stackId: string): Promise<void> {
  if (dialect === "postgres") await trx.selectFrom("stacks").select("id").where("id", "=", stackId).forUpdate().execute();
}

/** States in which a blocking run holds its stack's exclusive lock. */
/** States in which a worker executes the run (a run claimed for its apply is CONFIRMED until it reports APPLYING). */
export const executingStates: readonly RunState[] = ["PREPARING", "INITIALIZING", "PLANNING", "CONFIRMED", "APPLYING", "PERFORMING", "DESTROYING"];

export const activeStates: RunState[] = ["READY", "PREPARING", "INITIALIZING", "PLANNING", "UNCONFIRMED", "CONFIRMED", "APPLYING", "PERFORMING", "DESTROYING", "PENDING_REVIEW"];

/**
 * Takes the pool's next claimable run for a worker (prioritized ones first, then the oldest) in
 * one statement, so two workers never get the same run. A CONFIRMED run without a worker is
 * claimable too: its plan was saved and any worker may apply it.
 */
export async function claimNextRun(trx: Db, dialect: Dialect, poolId: string, workerId: string, at: string): Promise<RunsTable | undefined> {
  const claimable = sql`(state = 'READY' or (state = 'CONFIRMED' and worker_id is null))`;
  const lock = dialect === "postgres" ? sql`for update skip locked` : sql``;
  const { rows } = await sql<RunsTable>`update runs set worker_id = ${workerId}, updated_at = ${at}
    where id = (select id from runs where pool_id = ${poolId} and ${claimable} order by prioritized desc, id limit 1 ${lock}) and ${claimable}
    returning *`.execute(trx);
  return rows[0];
}

/** Stores the hash of the run's credential (the token itself goes to the worker only). */
export async function setRunToken(db: Db, id: string, tokenHash: string): Promise<void> {
  await db.updateTable("runs").set({ token_hash: tokenHash }).where("id", "=", id).execute();
}

/** Stores the plan's delta of a run that went on to apply before its plan JSON was ready. */
export async function setRunDelta(trx: Db, id: string, delta: unknown): Promise<void> {
  await trx.updateTable("runs").set({ delta: JSON.stringify(delta) }).where("id", "=", id).execute();
}

/** Lets go of a run's worker (its saved workspace lets any worker go on); only from `workerId` when given. */
export async function releaseRunWorker(trx: Db, id: string, workerId?: string | null): Promise<void> {
  let q = trx.updateTable("runs").set({ worker_id: null }).where("id", "=", id);
  if (workerId) q = q.where("worker_id", "=", workerId);
  await q.execute();
}

/** Links a VCS run to the pull request its commit also belongs to. */
export async function linkRunToPullRequest(trx: Db, id: string, pullRequest: number): Promise<void> {
  await trx.updateTable("runs").set({ pull_request: pullRequest }).where("id", "=", id).execute();
}

/**
 * The newest run of each stack (ULIDs grow with time, so the largest id is the newest): two
 * indexed reads for a page of stacks, for lists that show each stack's last run.
 */
export async function newestRunOfStacks(db: Db, stackIds: string[]): Promise<Map<string, RunsTable>> {
  if (stackIds.length === 0) return new Map();
  const newest = db.selectFrom("runs").select((eb) => eb.fn.max("id").as("id")).where("stack_id", "in", stackIds).groupBy("stack_id");
  const rows = await db.selectFrom("runs").selectAll().where("id", "in", newest).execute();
  return new Map(rows.map((r) => [r.stack_id, r]));
}

/** SQL for the id of a stack's newest run (null without runs), to order stacks by it. */
export const newestRunIdOfStack = sql<string | null>`(select max(runs.id) from runs where runs.stack_id = stacks.id)`;

/**
 * The blocking run a queued blocking run waits behind: the stack's active one (it holds the
 * stack's lock) or an older queued one (first in, first out); undefined when none is ahead.
 */
export async function blockingRunAhead(db: Db, run: Pick<RunsTable, "id" | "stack_id">): Promise<{ id: string; state: string } | undefined> {
  const active = await db.selectFrom("runs").select(["id", "state"]).where("stack_id", "=", run.stack_id).where("blocking", "=", 1).where("state", "in", activeStates).orderBy("id").limit(1).executeTakeFirst();
  if (active) return active;
  return db.selectFrom("runs").select(["id", "state"]).where("stack_id", "=", run.stack_id).where("blocking", "=", 1).where("state", "=", "QUEUED").where("id", "<", run.id).orderBy("id").limit(1).executeTakeFirst();
}
