import { GitError } from "./errors.js";
import { git, stderrOf } from "./run.js";
import { resolveRef } from "./commits.js";

const split = (out: string) => out.split("\0").map((s) => s.trim()).filter(Boolean);

/** Files changed between two commits (a rename counts as a delete and an add, so both paths show). */
export async function changedFiles(mirror: string, from: string, to: string): Promise<string[]> {
  try {
    return split(await git(["--git-dir", mirror, "diff", "--name-only", "--no-renames", "-z", "--end-of-options", from, to]));
  } catch (err) {
    throw new GitError("revision", `diffing ${from.slice(0, 12)}..${to.slice(0, 12)} failed: ${stderrOf(err)}`, { cause: err });
  }
}

/**
 * Files one commit changed: against its first parent (so a merge commit shows what the merge
 * brought into the branch), or every file of a root commit.
 */
export async function filesOfCommit(mirror: string, sha: string): Promise<string[]> {
  try {
    return split(await git(["--git-dir", mirror, "show", "--pretty=format:", "--name-only", "--no-renames", "-z", "--root", "--diff-merges=first-parent", "--end-of-options", sha]));
  } catch (err) {
    throw new GitError("revision", `listing the files of commit ${sha.slice(0, 12)} failed: ${stderrOf(err)}`, { cause: err });
  }
}

/** The best common ancestor of two commits, or null when they share no history. */
export async function mergeBase(mirror: string, a: string, b: string): Promise<string | null> {
  try {
    return (await git(["--git-dir", mirror, "merge-base", "--end-of-options", a, b])) || null;
  } catch {
    return null;
  }
}

/** True when `ancestor` is reachable from `descendant`. */
export async function isAncestor(mirror: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await git(["--git-dir", mirror, "merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Files a push changed, from the real history:
 * - `before` known and still in the mirror: the diff `before..after` (after a force-push that
 *   rewrote history this is still the difference between what was there and what is now);
 * - a new branch (no `before`, or `before` was lost): the diff against the merge base with
 *   `baseBranch` (what the branch brings compared with the branch it came from), or, without a
 *   usable base, the files of the head commit alone (a merge commit against its first parent).
 */
export async function changedFilesOfPush(mirror: string, push: { before: string | null; after: string; baseBranch?: string }): Promise<string[]> {
  if (push.before && (await resolveRef(mirror, push.before))) return changedFiles(mirror, push.before, push.after);
  if (push.baseBranch) {
    const base = await resolveRef(mirror, `refs/heads/${push.baseBranch}`);
    const mb = base ? await mergeBase(mirror, base, push.after) : null;
    if (mb && mb !== push.after) return changedFiles(mirror, mb, push.after);
  }
  return filesOfCommit(mirror, push.after);
}
