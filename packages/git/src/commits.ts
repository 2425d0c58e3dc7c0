import { GitError } from "./errors.js";
import { git, stderrOf } from "./run.js";

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
