import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { WorkerError } from "../errors.js";

const run = promisify(execFile);
const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" };

async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await run("git", args, { cwd, env: gitEnv, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

const stderrOf = (err: unknown) => String((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split("\n").slice(-3).join(" ");

/** Per-repository locks: two runs of one repository update its mirror one after the other. */
const locks = new Map<string, Promise<unknown>>();
async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  locks.set(key, next.catch(() => undefined));
  return next;
}

/**
 * A bare mirror per repository under `cacheDir`, fetched before each checkout: runs read from
 * it with `git archive`, which never touches an index, so concurrent runs can share it.
 */
export async function updateMirror(cacheDir: string, repository: string): Promise<string> {
  const dir = join(cacheDir, `${createHash("sha256").update(repository).digest("hex").slice(0, 24)}.git`);
  return withLock(dir, async () => {
    try {
      if (existsSync(join(dir, "HEAD"))) await git(["--git-dir", dir, "fetch", "--quiet", "--prune", "--force", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]);
      else {
        mkdirSync(cacheDir, { recursive: true });
        await git(["clone", "--quiet", "--mirror", repository, dir]);
      }
    } catch (err) {
      throw new WorkerError("repository", `cloning repository ${repository} failed: ${stderrOf(err)}: check the stack's repository`, { cause: err });
    }
    return dir;
  });
}

export interface ResolvedCommit {
  sha: string;
  author: string;
  message: string;
}

/** The commit a run uses: the given sha, or the head of the branch. */
export async function resolveCommit(mirror: string, repository: string, branch: string, sha: string | null): Promise<ResolvedCommit> {
  const ref = sha ?? `refs/heads/${branch}`;
  let full: string;
  try {
    full = await git(["--git-dir", mirror, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch (err) {
    throw new WorkerError(
      "repository",
      sha ? `commit ${sha} does not exist in repository ${repository}: push it or trigger the run without a commit` : `branch ${JSON.stringify(branch)} does not exist in repository ${repository}: check the stack's branch`,
      { cause: err },
    );
  }
  const [author = "", message = ""] = (await git(["--git-dir", mirror, "log", "-1", "--format=%an%n%s", full])).split("\n");
  return { sha: full, author, message };
}

/** Writes the commit's tree into `dest` (no .git directory: the workspace is not a clone). */
export async function exportTree(mirror: string, sha: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  try {
    await run("sh", ["-c", 'git --git-dir="$1" archive --format=tar "$2" | tar -x -C "$3"', "sh", mirror, sha, dest], { env: gitEnv, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    throw new WorkerError("workspace", `checking out commit ${sha} failed: ${stderrOf(err)}`, { cause: err });
  }
}
