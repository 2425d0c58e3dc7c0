import type { Db, Dialect } from "../db/connect.js";
import { now } from "../db/rows.js";
import type { RunsTable } from "../db/schema.js";
import { AppError, conflict, notFound } from "../errors.js";
import { decide, isTerminal, type RunEvent } from "./transitions.js";
import type { RunState, RunType, Stack } from "@gantry/contract";
import { newRunId } from "./ids.js";
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
    if (s) await trx.updateTable("stacks").set({ state: s }).where("id", "=", row.stack_id).execute();
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
