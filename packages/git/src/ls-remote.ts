import { GitError } from "./errors.js";
import { git, stderrOf } from "./run.js";

/**
 * The branch heads of a remote repository (`git ls-remote --heads`), without fetching anything:
 * the cheap check a poller makes before deciding a fetch is worth it. Returns branch -> sha.
 */
export async function lsRemoteHeads(repository: string): Promise<Map<string, string>> {
  let out: string;
  try {
    out = await git(["ls-remote", "--heads", "--end-of-options", repository]);
  } catch (err) {
    throw new GitError("repository", `listing the branches of ${repository} failed: ${stderrOf(err)}: check the repository URL or path and that this machine can read it`, { cause: err });
  }
  const heads = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [sha, ref] = line.split("\t");
    if (sha && ref?.startsWith("refs/heads/")) heads.set(ref.slice("refs/heads/".length), sha);
  }
  return heads;
}
