import type { RunType } from "@gantry/contract";
import { lsRemoteHeads } from "@gantry/git";
import type { Db } from "../db/connect.js";
import type { StacksTable } from "../db/schema.js";

/**
 * One run per (stack, commit, type) for the sources that run a commit because it appeared: VCS
 * events (webhooks, the poller) and administrative stacks' `gantry_run`. Their runs carry this
 * key in `runs.vcs_key`, which a unique index guards (migration 0004), so two sources racing for
 * the same commit (a new stack's first run from `gantry_run` and the push that brought it) end
 * with one run: the second creator is answered with the first one's run. Runs a person asks for
 * (trigger, retry), drift checks and schedules carry no key: asking again means another run.
 */
export function commitKey(stackId: string, sha: string, type: RunType): string {
  return `${stackId}:${sha}:${type}`;
}

/** The run already created for a commit key, if any. */
export async function runForCommitKey(db: Db, key: string): Promise<{ id: string; pull_request?: number | null; state: string } | undefined> {
  return db.selectFrom("runs").select(["id", "pull_request", "state"]).where("vcs_key", "=", key).executeTakeFirst();
}

/**
 * The head of the stack's branch, which a run without a commit would check out: resolved when
 * the run is created so it can be keyed. Undefined when it cannot be resolved here (a GitHub
 * App stack, whose repository is reached through the integration, or an unreachable remote):
 * such a run is created unkeyed and its worker resolves the head as before.
 */
export async function branchHeadOf(stack: Pick<StacksTable, "repository" | "branch" | "vcs_integration_id">): Promise<string | undefined> {
  if (stack.vcs_integration_id) return undefined;
  try {
    return (await lsRemoteHeads(stack.repository)).get(stack.branch);
  } catch {
    return undefined;
  }
}
