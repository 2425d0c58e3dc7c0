import { mkdirSync } from "node:fs";
import { GitError } from "./errors.js";
import { execFileAsync, git, gitEnv, stderrOf } from "./run.js";

export interface ResolvedCommit {
  sha: string;
  author: string;
  message: string;
}

/** The full sha of a branch, tag or (abbreviated) sha in the mirror, or null when there is none. */
export async function resolveRef(mirror: string, ref: string): Promise<string | null> {
  try {
    return await git(["--git-dir", mirror, "rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  } catch {
    return null;
  }
}

/** Author name and first line of the message of a commit. */
export async function commitInfo(mirror: string, sha: string): Promise<{ author: string; message: string }> {
  try {
    const [author = "", message = ""] = (await git(["--git-dir", mirror, "log", "-1", "--format=%an%n%s", "--end-of-options", sha])).split("\n");
    return { author, message };
  } catch (err) {
    throw new GitError("revision", `reading commit ${sha.slice(0, 12)} failed: ${stderrOf(err)}`, { cause: err });
  }
}

/** The commit a run uses: the given sha, or the head of the branch. */
export async function resolveCommit(mirror: string, repository: string, branch: string, sha: string | null): Promise<ResolvedCommit> {
  const full = await resolveRef(mirror, sha ?? `refs/heads/${branch}`);
  if (!full) {
    throw new GitError(
      "revision",
      sha ? `commit ${sha} does not exist in repository ${repository}: push it or trigger the run without a commit` : `branch ${JSON.stringify(branch)} does not exist in repository ${repository}: check the stack's branch`,
    );
  }
  return { sha: full, ...(await commitInfo(mirror, full)) };
}

/** Writes the commit's tree into `dest` (no .git directory: the workspace is not a clone). */
export async function exportTree(mirror: string, sha: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  try {
    await execFileAsync("sh", ["-c", 'git --git-dir="$1" archive --format=tar "$2" | tar -x -C "$3"', "sh", mirror, sha, dest], { env: gitEnv, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    throw new GitError("workspace", `checking out commit ${sha} failed: ${stderrOf(err)}`, { cause: err });
  }
}
