/** Local git repositories with terraform code, for runs that need no network. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { GantryClient, RunDetail, RunState } from "@gantry/contract";

export const simpleConfig = `
variable "greeting" {
  type    = string
  default = "hello"
}
resource "terraform_data" "greeting" {
  input = var.greeting
}
output "greeting" {
  value = terraform_data.greeting.output
}
output "hidden" {
  value     = "classified"
  sensitive = true
}
`;

export interface Repo {
  path: string;
  /** Commits the files (path -> content) on the current branch and returns the sha. */
  commit(files: Record<string, string>, message?: string): string;
  git(...args: string[]): string;
}

export function makeRepo(files: Record<string, string> = { "main.tf": simpleConfig }): Repo {
  const path = mkdtempSync(join(tmpdir(), "gantry-repo-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: path, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "Ada", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada", GIT_COMMITTER_EMAIL: "ada@example.com" } }).trim();
  git("init", "--quiet", "-b", "main");
  const repo: Repo = {
    path,
    git,
    commit(f, message = "change") {
      for (const [p, content] of Object.entries(f)) {
        mkdirSync(dirname(join(path, p)), { recursive: true });
        writeFileSync(join(path, p), content);
      }
      git("add", "-A");
      git("commit", "--quiet", "-m", message);
      return git("rev-parse", "HEAD");
    },
  };
  repo.commit(files, "initial");
  return repo;
}

const terminal: RunState[] = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];

/** Waits until the run reaches one of `states` (default: any terminal state). */
export async function waitForRun(api: GantryClient, id: string, states: RunState[] = terminal, timeoutMs = 60_000): Promise<RunDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await api.call("getRun", { params: { id } });
    if (states.includes(run.state)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.state} after ${timeoutMs} ms${run.waiting ? ` (${run.waiting.reason})` : ""}: ${JSON.stringify(run.history)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The run's whole stored log as one string. */
export async function runLog(api: GantryClient, id: string): Promise<string> {
  const { entries } = await api.call("runLogs", { params: { id }, query: {} });
  return entries.map((e) => e.text).join("");
}
