import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { GitError } from "./errors.js";
import { withLock } from "./lock.js";
import { git, stderrOf } from "./run.js";

/** Where the mirror of `repository` lives under `cacheDir` (one directory per URL or path). */
export function mirrorPath(cacheDir: string, repository: string): string {
  return join(cacheDir, `${createHash("sha256").update(repository).digest("hex").slice(0, 24)}.git`);
}

/**
 * Brings the bare mirror of `repository` up to date (cloning it the first time) and returns its
 * path. Calls for one mirror are serialized, because two concurrent fetches into one repository
 * fight over its ref locks; readers (`git archive`, `diff`) never touch an index, so they share it.
 * Branches, tags and GitHub's pull-request heads (`refs/pull/<n>/head`, where commits of pull
 * requests from forks live) are fetched with `--force --prune`, so a force-push or a deleted
 * branch is reflected as it is on the remote.
 */
export async function updateMirror(cacheDir: string, repository: string): Promise<string> {
  const dir = mirrorPath(cacheDir, repository);
  return withLock(dir, async () => {
    const exists = existsSync(join(dir, "HEAD"));
    try {
      if (exists) {
        await git(["--git-dir", dir, "fetch", "--quiet", "--prune", "--force", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*", "+refs/pull/*/head:refs/pull/*/head"]);
      } else {
        mkdirSync(cacheDir, { recursive: true });
        await git(["clone", "--quiet", "--mirror", "--end-of-options", repository, dir]);
      }
    } catch (err) {
      throw new GitError("repository", `${exists ? "fetching" : "cloning"} repository ${repository} failed: ${stderrOf(err)}: check the repository URL or path and that this machine can read it`, { cause: err });
    }
    return dir;
  });
}
