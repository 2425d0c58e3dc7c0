import type { Db } from "../db/connect.js";
import { conflict } from "../errors.js";
import { executingStates } from "./repository.js";

/**
 * Removes what the run engine keeps for a stack that is being deleted, inside the caller's
 * transaction: its runs (their transitions, logs, receipts and reviews go with them) and every
 * blob they or the stack own (plan JSON and files, workspace archives, uploaded sources, state
 * versions). Blobs are keyed by owner, not by foreign key, so nothing else would delete them.
 * Refused while a worker executes a run of the stack: stop it first, or its worker would write
 * into a stack that no longer exists.
 */
export async function purgeStackRuns(trx: Db, stackId: string): Promise<void> {
  const busy = await trx.selectFrom("runs").select(["id", "state"]).where("stack_id", "=", stackId).where("state", "in", executingStates).limit(1).executeTakeFirst();
  if (busy) throw conflict(`stack ${JSON.stringify(stackId)} has run ${busy.id} in progress (${busy.state}): stop it (gantry run stop) or wait for it, then delete the stack`);
  const runIds = trx.selectFrom("runs").select("id").where("stack_id", "=", stackId);
  await trx.deleteFrom("blobs").where("owner_type", "=", "run").where("owner_id", "in", runIds).execute();
  const stateBlobs = trx.selectFrom("state_versions").select("blob_id").where("stack_id", "=", stackId);
  await trx.deleteFrom("blobs").where("id", "in", stateBlobs).execute();
  await trx.deleteFrom("blobs").where("owner_type", "in", ["state", "stack"]).where("owner_id", "=", stackId).execute();
  await trx.deleteFrom("state_versions").where("stack_id", "=", stackId).execute();
  await trx.deleteFrom("state_locks").where("stack_id", "=", stackId).execute();
  await trx.deleteFrom("stack_outputs").where("stack_id", "=", stackId).execute();
  await trx.deleteFrom("runs").where("stack_id", "=", stackId).execute();
}
