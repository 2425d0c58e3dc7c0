import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import type { StacksTable } from "../db/schema.js";
import type { Outbox } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import { terminalRunStates } from "@gantry/contract";

/** Who starts scheduled drift runs: shown as the runs' `triggeredBy` and in the audit trail. */
export const driftActor: Principal = { kind: "user", id: "drift-detection", name: "drift-detection", bindings: [] };

/**
 * Why a scheduled drift run must not start now, or null when it may. Spacelift's rules: only a
 * stack at rest (FINISHED) is compared with reality unless `ignoreState`; a locked stack is left
 * to its owner; and one drift run at a time is enough.
 */
export async function driftSkipReason(db: Db, stack: StacksTable, ignoreState: boolean): Promise<string | null> {
  if (!ignoreState && stack.state !== "FINISHED") return `stack is ${stack.state}, not FINISHED (set ignoreState to check it anyway)`;
  if (stack.locked_by) return `stack is locked by ${stack.locked_by}`;
  const pending = await db.selectFrom("runs").select("id").where("stack_id", "=", stack.id).where("drift_detection", "=", 1).where("state", "not in", [...terminalRunStates]).limit(1).executeTakeFirst();
  if (pending) return `drift run ${pending.id} has not finished yet`;
  return null;
}

/** Queues a drift detection run: a PROPOSED run of the stack's branch, flagged, on the stack's own pool. */
export function queueDriftRun(runs: Pick<RunService, "enqueue">, trx: Db, out: Outbox, actor: Principal, stack: StacksTable) {
  return runs.enqueue(trx, out, actor, stack, { type: "PROPOSED", commitSha: null, command: null, driftDetection: true, note: "drift detection" });
}
