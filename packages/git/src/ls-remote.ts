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

/**
 * The tags of a remote repository (`git ls-remote --tags`), without fetching: tag -> the commit
 * it names (an annotated tag's peeled `^{}` entry wins over the tag object's own sha).
 */
export async function lsRemoteTags(repository: string): Promise<Map<string, string>> {
  let out: string;
  try {
    out = await git(["ls-remote", "--tags", "--end-of-options", repository]);
  } catch (err) {
    throw new GitError("repository", `listing the tags of ${repository} failed: ${stderrOf(err)}: check the repository URL or path and that this machine can read it`, { cause: err });
  }
  const tags = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [sha, ref] = line.split("\t");
    if (!sha || !ref?.startsWith("refs/tags/")) continue;
    const peeled = ref.endsWith("^{}");
    const name = ref.slice("refs/tags/".length, peeled ? -3 : undefined);
    if (peeled || !tags.has(name)) tags.set(name, sha);
  }
  return tags;
}
