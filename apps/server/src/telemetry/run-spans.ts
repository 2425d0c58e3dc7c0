import type { RunState } from "@gantry/contract";
import type { Core } from "../core.js";
import { isTerminal } from "../runs/transitions.js";

/**
 * After a transaction moved runs, records in each run's trace a span for every state it left
 * (`state QUEUED`, from entering it to leaving it, with who moved it and why), and the run's
 * root span once it is terminal. Reads the transitions only when tracing is on; never throws.
 */
export async function traceRunChanges(core: Core, changes: readonly (readonly [string, RunState])[]): Promise<void> {
  const tracing = core.tracing;
  if (!tracing?.enabled || changes.length === 0) return;
  const moved = new Map<string, number>();
  for (const [id] of changes) moved.set(id, (moved.get(id) ?? 0) + 1);
  for (const [runId, count] of moved) {
    try {
      const history = await core.db.selectFrom("run_transitions").selectAll().where("run_id", "=", runId).orderBy("id", "desc").limit(count + 1).execute();
      history.reverse();
      for (let i = 1; i < history.length; i++) {
        const [entered, left] = [history[i - 1]!, history[i]!];
        tracing.recordRunSpan(runId, `state ${entered.to_state}`, new Date(entered.at), new Date(left.at), {
          "gantry.run.state": entered.to_state,
          "gantry.run.next_state": left.to_state,
          "gantry.transition.cause": left.cause,
          "gantry.transition.actor": left.actor,
          ...(left.note ? { "gantry.transition.note": left.note } : {}),
        });
      }
      const last = history.at(-1);
      if (last && isTerminal(last.to_state as RunState)) {
        const run = await core.db.selectFrom("runs").select(["created_at", "stack_id", "type", "failure_reason"]).where("id", "=", runId).executeTakeFirst();
        if (run) {
          tracing.endRun(runId, new Date(run.created_at), new Date(last.at), { "gantry.stack.id": run.stack_id, "gantry.run.type": run.type, "gantry.run.state": last.to_state }, last.to_state === "FINISHED" ? undefined : (run.failure_reason ?? last.to_state));
        }
      }
    } catch (err) {
      core.log.warn({ err, run: runId }, "tracing: the run's spans could not be recorded");
    }
  }
}
