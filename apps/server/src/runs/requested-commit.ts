import type { RunType } from "@gantry/contract";
import { commitInfo, isAncestor, resolveRef, updateMirror } from "@gantry/git";
import type { Logger } from "pino";
import type { StacksTable } from "../db/schema.js";
import { invalidField } from "../errors.js";

/** The commit a person asked a run for, as the repository knows it. */
export interface RequestedCommit { sha: string; message: string; author: string }

/**
 * Checks the commit a person (or `gantry_run`) asked a run for before the run exists, so an
 * unknown sha is refused at the `commitSha` field instead of becoming a run that fails at
 * checkout. An abbreviated sha is expanded, so the run records the full one.
 *
 * Runs that change infrastructure (TRACKED, DESTROY, TASK) may only run a commit of the stack's
 * tracked branch: the stack deploys that branch's history, and deploying an unmerged commit
 * would leave the state ahead of the branch. A PROPOSED run changes nothing and may preview any
 * commit of the repository.
 *
 * Answers null when the server cannot check here: a stack reached through a VCS integration (its
 * credentials live with the integration, as for `branchHeadOf`), or a repository this server
 * cannot fetch (the worker may still reach it; it then resolves the sha and fails the run with
 * the reason if the commit is missing).
 */
export async function resolveRequestedCommit(
  mirrorDir: string, log: Logger, stack: Pick<StacksTable, "id" | "repository" | "branch" | "vcs_integration_id">, sha: string, type: RunType,
): Promise<RequestedCommit | null> {
  if (stack.vcs_integration_id) return null;
  let mirror: string;
  try {
    mirror = await updateMirror(mirrorDir, stack.repository);
  } catch (err) {
    log.warn({ err, stack: stack.id }, `checking commit ${sha} of stack ${stack.id}: repository unreachable from the server, the worker resolves it`);
    return null;
  }
  const full = await resolveRef(mirror, sha);
  if (!full) throw invalidField(["commitSha"], `commit ${sha} is not in repository ${stack.repository}${sha.length < 40 ? " (or the abbreviation is ambiguous)" : ""}: push it first or check the sha`);
  if (type !== "PROPOSED") {
    const head = await resolveRef(mirror, `refs/heads/${stack.branch}`);
    if (!head || !(await isAncestor(mirror, full, head))) {
      throw invalidField(["commitSha"], `commit ${full.slice(0, 12)} is not on branch ${stack.branch}, which the stack tracks: a ${type} run may only run the tracked branch's commits; merge it first, or preview it with a proposed run`);
    }
  }
  return { sha: full, ...(await commitInfo(mirror, full)) };
}
