import type { Db } from "../db/connect.js";
import { activeStates } from "../runs/repository.js";
import { allUpstream } from "./graph.js";
import { allEdges, directUpstreams } from "./repository.js";

/** A blocking run of an upstream stack that holds a downstream tracked run in QUEUED. */
export interface UpstreamBlocker {
  stackId: string;
  runId: string;
  state: string;
}

/** Queued or in progress: the upstream is about to change, or changing. */
const inProgress = ["QUEUED", ...activeStates];

/**
 * The blocking runs in progress on any stack upstream of `stackId` (transitively: a stack two
 * levels up that is changing will change its dependents, which this stack reads). A downstream
 * TRACKED run waits in QUEUED while this list is not empty, so it starts from settled outputs.
 */
export async function upstreamBlockers(db: Db, stackId: string): Promise<UpstreamBlocker[]> {
  // Most stacks have no upstream: one indexed look before reading the graph.
  if ((await directUpstreams(db, stackId)).length === 0) return [];
  const upstream = [...allUpstream(await allEdges(db), stackId)];
  const rows = await db
    .selectFrom("runs")
    .select(["id", "stack_id", "state"])
    .where("stack_id", "in", upstream)
    .where("blocking", "=", 1)
    .where("state", "in", inProgress)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ stackId: r.stack_id, runId: r.id, state: r.state }));
}

/** What `run show` says about a queued run held by its upstreams, or null when nothing holds it. */
export function describeBlockers(blockers: readonly UpstreamBlocker[]): string | null {
  if (blockers.length === 0) return null;
  return `waiting for dependencies: ${blockers.map((b) => `${b.stackId} (run ${b.runId} ${b.state})`).join(", ")}`;
}
