import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import type { Outbox, RunEngine } from "../runs/engine.js";

const notStarted = ["QUEUED", "READY"];
const working = ["PREPARING", "INITIALIZING", "PLANNING", "CONFIRMED", "APPLYING", "PERFORMING", "DESTROYING"];

/** Cancels a run that has not started, or stops one a worker is executing; other states are left alone. */
export async function cancelOrStop(engine: RunEngine, trx: Db, out: Outbox, run: Pick<RunsTable, "id" | "state">, actor: string, note: string): Promise<boolean> {
  if (notStarted.includes(run.state)) await engine.move(trx, out, run.id, { kind: "cancel" }, actor, { note });
  else if (working.includes(run.state)) await engine.move(trx, out, run.id, { kind: "stop" }, actor, { note });
  else return false;
  return true;
}

/**
 * A newer commit on a branch makes the older proposed runs of that branch pointless: the ones not
 * started are canceled, the running ones stopped. Only VCS runs are touched, never a person's.
 */
export async function supersedeProposedRuns(engine: RunEngine, trx: Db, out: Outbox, stackId: string, branch: string, newRunId: string): Promise<string[]> {
  const older = await trx
    .selectFrom("runs").select(["id", "state"])
    .where("stack_id", "=", stackId).where("type", "=", "PROPOSED").where("commit_branch", "=", branch)
    .where("vcs_key", "is not", null).where("id", "<", newRunId).where("state", "in", [...notStarted, ...working])
    .execute();
  const done: string[] = [];
  for (const r of older) if (await cancelOrStop(engine, trx, out, r, "vcs", `superseded by run ${newRunId} of a newer commit on ${branch}`)) done.push(r.id);
  return done;
}

/** Cancels the queued proposed VCS runs of some stacks that match `where` (a closed pull request, a deleted branch). */
export async function cancelQueuedProposedRuns(engine: RunEngine, stackIds: string[], where: { pullRequest?: number; branch?: string }, note: string): Promise<string[]> {
  if (stackIds.length === 0) return [];
  return engine.tx(async (trx, out) => {
    let q = trx.selectFrom("runs").select(["id", "state"]).where("stack_id", "in", stackIds).where("type", "=", "PROPOSED").where("vcs_key", "is not", null).where("state", "in", notStarted);
    if (where.pullRequest !== undefined) q = q.where("pull_request", "=", where.pullRequest);
    if (where.branch !== undefined) q = q.where("commit_branch", "=", where.branch);
    const runs = await q.execute();
    for (const r of runs) await engine.move(trx, out, r.id, { kind: "cancel" }, "vcs", { note });
    return runs.map((r) => r.id);
  });
}
