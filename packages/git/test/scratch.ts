/** Helpers for tests that build real repositories: git with a fixed identity, and a commit of files. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const env = { ...process.env, GIT_AUTHOR_NAME: "dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "dev", GIT_COMMITTER_EMAIL: "dev@example.com" };

/** Runs git in `cwd` and answers its trimmed output. */
export const sh = (cwd: string, ...args: string[]): string => execFileSync("git", args, { cwd, env }).toString().trim();

/** Writes `files` into the work tree, commits them all and answers the new commit's sha. */
export function commitFiles(work: string, files: Record<string, string>, message: string): string {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, p)), { recursive: true });
    writeFileSync(join(work, p), content);
  }
  sh(work, "add", "-A");
  sh(work, "commit", "-q", "-m", message);
  return sh(work, "rev-parse", "HEAD");
}
