import type { Run, RunDelta, RunSource, RunState, RunTransition, RunType, TransitionCause } from "@gantry/contract";
import { parseJson, toBool } from "../db/rows.js";
import type { RunsTable, RunTransitionsTable } from "../db/schema.js";

export function runFromRow(r: RunsTable): Run {
  return {
    id: r.id,
    stackId: r.stack_id,
    type: r.type as RunType,
    state: r.state as RunState,
    blocking: toBool(r.blocking),
    commit: { sha: r.commit_sha, branch: r.commit_branch, message: r.commit_message, author: r.commit_author },
    command: r.command,
    source: r.source as RunSource,
    pullRequest: r.pull_request ?? null,
    prioritized: r.prioritized === 1,
    driftDetection: r.drift_detection === 1,
    triggeredBy: r.triggered_by,
    triggeredByRun: r.triggered_by_run ?? null,
    triggerChain: r.trigger_chain ? parseJson<string[]>(r.trigger_chain) : [],
    workerId: r.worker_id,
    failureReason: r.failure_reason,
    delta: r.delta ? { outputs: 0, ...parseJson<Omit<RunDelta, "outputs">>(r.delta) } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function transitionFromRow(r: RunTransitionsTable): RunTransition {
  return { from: r.from_state as RunState | null, to: r.to_state as RunState, cause: r.cause as TransitionCause, actor: r.actor, note: r.note, at: r.at };
}
