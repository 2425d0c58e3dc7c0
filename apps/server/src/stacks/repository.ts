import type { Stack } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";
import { purgeStackRuns } from "../runs/stack-purge.js";

/**
 * The one module that writes the run-driven columns of `stacks` (summary state, lock owner, drift
 * mark). Other domains (runs, VCS push policies, drift detection) call these instead of updating
 * the table, so every rule about those columns sits in one place. Settings are written by
 * stacks/service.ts.
 */

/** The stack's summary state, following its latest blocking run. */
export async function setStackState(trx: Db, stackId: string, state: Stack["state"]): Promise<void> {
  await trx.updateTable("stacks").set({ state }).where("id", "=", stackId).execute();
}

/**
 * Sets or clears the lock owner unconditionally (a person locking or unlocking through the API),
 * with the locker's note; unlocking clears the note, so an old reason never shows on a new lock.
 */
export async function setStackLock(trx: Db, stackId: string, owner: string | null, note: string | null = null): Promise<string> {
  const at = now();
  await trx.updateTable("stacks").set({ locked_by: owner, lock_note: owner ? note : null, updated_at: at }).where("id", "=", stackId).execute();
  return at;
}

/** Locks the stack for `owner` only if nobody holds it (a push policy's `lock`); true if it did. */
export async function lockStackIfFree(db: Db, stackId: string, owner: string): Promise<boolean> {
  const res = await db.updateTable("stacks").set({ locked_by: owner, lock_note: null, updated_at: now() }).where("id", "=", stackId).where("locked_by", "is", null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Unlocks the stack only if one of `owners` holds it (a push policy's `unlock`); true if it did. */
export async function unlockStackHeldBy(db: Db, stackId: string, owners: string[]): Promise<boolean> {
  if (owners.length === 0) return false;
  const res = await db.updateTable("stacks").set({ locked_by: null, lock_note: null, updated_at: now() }).where("id", "=", stackId).where("locked_by", "in", owners).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Marks the stack drifted: which resources a drift run found changed, when, and by which run. */
export async function markStackDrifted(trx: Db, stackId: string, drift: { runId: string; resources: string[]; at: string }): Promise<void> {
  await trx.updateTable("stacks").set({ drift_detected_at: drift.at, drift_resources: JSON.stringify(drift.resources), drift_run_id: drift.runId }).where("id", "=", stackId).execute();
}

/** Clears the drift mark: a drift run found nothing to change. */
export async function clearStackDrift(trx: Db, stackId: string): Promise<void> {
  await trx.updateTable("stacks").set({ drift_detected_at: null, drift_resources: null, drift_run_id: null }).where("id", "=", stackId).where("drift_detected_at", "is not", null).execute();
}

/**
 * Deletes a stack and what hangs off it, in the caller's transaction (authorization and
 * protection are the caller's): its config elements, attachments, runs and blobs (refused while a
 * run executes), then the row; drift detection and schedules go with it by foreign key.
 */
export async function deleteStackRows(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom("config_elements").where("owner_type", "=", "stack").where("owner_id", "=", id).execute();
  await trx.deleteFrom("attachments").where("stack_id", "=", id).execute();
  // A deleted stack no longer consumes registry modules.
  await trx.deleteFrom("module_consumers").where("stack_id", "=", id).execute();
  await purgeStackRuns(trx, id);
  await trx.deleteFrom("stacks").where("id", "=", id).execute();
}
