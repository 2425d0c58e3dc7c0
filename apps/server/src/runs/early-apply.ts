import type { RunState, RunType } from "@gantry/contract";
import { explainStack } from "../attachments/resolve.js";
import type { Db } from "../db/connect.js";
import type { StacksTable } from "../db/schema.js";
import { applyingState, decide, type RunEvent } from "./transitions.js";

/**
 * Whether a run whose plan has changes may start applying before its plan JSON is stored: only
 * when nothing that decides needs the JSON, that is no PLAN policy applies to the stack (they read
 * it), and the plan would lead straight to applying (autodeploy, no approval policy). Anything
 * else waits for the full plan report, so people and policies always see the JSON first.
 *
 * @returns the `planned` event to apply now, or null to wait for the JSON
 */
export async function earlyApplyEvent(db: Db, run: { type: RunType; state: RunState }, stack: StacksTable): Promise<Extract<RunEvent, { kind: "planned" }> | null> {
  const applied = (await explainStack(db, stack)).policies;
  if (applied.some((p) => p.type === "PLAN")) return null;
  const event = { kind: "planned", changes: true, denied: false, warnings: false, autodeploy: stack.autodeploy === 1, approvalPolicies: applied.some((p) => p.type === "APPROVAL") } as const;
  const d = decide(run, event);
  // A refused move (the run is no longer PLANNING) is left to the engine, which says why.
  return !d.ok || d.to === applyingState(run.type) ? event : null;
}
