import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppError } from "../errors.js";

const run = promisify(execFile);

/** Runs git with a clean, non-interactive environment; failures name the action and git's words. */
export async function git(args: string[], opts: { cwd?: string; action: string }): Promise<string> {
  try {
    const { stdout } = await run("git", args, {
      cwd: opts.cwd,
      maxBuffer: 64 * 1024 * 1024,
      // Revisions come from users and webhooks: every call puts --end-of-options before them.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
    });
    return stdout;
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? (err as Error).message).trim();
    throw new AppError("conflict", `${opts.action}: ${stderr.split("\n").slice(-3).join(" ")}`);
  }
}

/**
 * A bare mirror of a repository kept under `cacheDir`, one per repository URL or path, so
 * diffs and checkouts never clone from scratch. `refresh` fetches every branch and tag.
 */
export class RepositoryMirror {
  readonly path: string;

  constructor(readonly repository: string, cacheDir: string) {
    const key = createHash("sha256").update(repository).digest("hex").slice(0, 24);
    this.path = join(cacheDir, `${key}.git`);
  }

  async refresh(): Promise<void> {
    if (!existsSync(this.path)) {
      mkdirSync(this.path, { recursive: true });
      await git(["init", "--bare", "--quiet", this.path], { action: `creating a mirror of ${this.repository}` });
      await git(["remote", "add", "--mirror=fetch", "origin", this.repository], { cwd: this.path, action: `creating a mirror of ${this.repository}` });
    }
    await git(["fetch", "--prune", "--quiet", "origin"], { cwd: this.path, action: `fetching ${this.repository}` });
  }

  /** Resolves a branch name or sha to a full commit sha, or null when it does not exist. */
  async resolve(ref: string): Promise<string | null> {
    try {
      return (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: this.path, action: `resolving ${ref}` })).trim();
    } catch {
      return null;
    }
  }

  /** Files changed between two commits (renames count on both sides). */
  async changedFiles(from: string, to: string): Promise<string[]> {
    const out = await git(["diff", "--name-only", "--no-renames", "-z", "--end-of-options", from, to], { cwd: this.path, action: `diffing ${from.slice(0, 8)}..${to.slice(0, 8)}` });
    return out.split("\0").filter(Boolean);
  }

  /** Files of a commit that has no usable parent in the event (a new branch): its diff against its first parent, or every file of a root commit. */
  async filesOfCommit(sha: string): Promise<string[]> {
    const out = await git(["show", "--pretty=format:", "--name-only", "--no-renames", "-z", "--root", "--diff-merges=first-parent", "--end-of-options", sha], { cwd: this.path, action: `listing the files of ${sha.slice(0, 8)}` });
    return out.split("\0").map((s) => s.trim()).filter(Boolean);
  }

  async commitInfo(sha: string): Promise<{ message: string; author: string }> {
    const out = await git(["show", "-s", "--format=%an%x00%B", "--end-of-options", sha], { cwd: this.path, action: `reading commit ${sha.slice(0, 8)}` });
    const [author = "", ...rest] = out.split("\0");
    return { author, message: rest.join("\0").trim() };
  }
}
