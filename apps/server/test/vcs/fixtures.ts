/** A bare repository laid out as `<dir>/acme/infra.git` with a working clone, and GitHub webhook deliveries. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { githubSignature } from "../../src/vcs/github/signature.js";

export const ZERO = "0".repeat(40);

export const stackConfig = (greeting: string) => `resource "terraform_data" "greeting" {\n  input = "${greeting}"\n}\n`;

export interface BareRepo {
  dir: string;
  bare: string;
  work: string;
  git(...args: string[]): string;
  /** Commits files on the current branch of the working clone; returns the sha. */
  commit(files: Record<string, string>, message: string): string;
  head(ref?: string): string;
  remove(): void;
}

export function makeBareRepo(files: Record<string, string>): BareRepo {
  const dir = mkdtempSync(join(tmpdir(), "gantry-gitops-"));
  const bare = join(dir, "acme", "infra.git");
  const work = join(dir, "work");
  mkdirSync(dirname(bare), { recursive: true });
  const env = { ...process.env, GIT_AUTHOR_NAME: "Ada", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada", GIT_COMMITTER_EMAIL: "ada@example.com" };
  const run = (cwd: string, args: string[]) => execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  run(dir, ["init", "-q", "--bare", "-b", "main", bare]);
  run(dir, ["clone", "-q", bare, work]);
  run(work, ["checkout", "-q", "-b", "main"]);
  const repo: BareRepo = {
    dir, bare, work,
    git: (...args) => run(work, args),
    commit(f, message) {
      for (const [p, content] of Object.entries(f)) {
        mkdirSync(dirname(join(work, p)), { recursive: true });
        writeFileSync(join(work, p), content);
      }
      run(work, ["add", "-A"]);
      run(work, ["commit", "-q", "-m", message]);
      return run(work, ["rev-parse", "HEAD"]);
    },
    head: (ref = "HEAD") => run(work, ["rev-parse", ref]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  repo.commit(files, "initial");
  repo.git("push", "-q", "origin", "main");
  return repo;
}

/** Delivers a GitHub webhook to the server, signed with `secret` (or not signed at all). */
export async function deliverWebhook(baseUrl: string, integrationId: string, event: string, payload: unknown, secret: string | null, raw?: string) {
  const body = raw ?? JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": `d-${Math.random()}` };
  if (secret !== null) headers["x-hub-signature-256"] = githubSignature(secret, body);
  const res = await fetch(`${baseUrl}/webhooks/github/${integrationId}`, { method: "POST", headers, body });
  return { status: res.status, json: (await res.json()) as { note: string; stacks?: { stackId: string; decision: string; runId: string | null; reason: string }[] } };
}

export const repository = { full_name: "acme/infra", clone_url: "https://github.com/acme/infra.git", default_branch: "main" };

export function pushPayload(ref: string, before: string, after: string, message = "change", extra: Record<string, unknown> = {}) {
  return { ref, before, after, created: before === ZERO, deleted: after === ZERO, forced: false, repository, head_commit: after === ZERO ? null : { id: after, message, author: { name: "Ada", username: "ada" } }, pusher: { name: "ada" }, ...extra };
}

export function pullRequestPayload(action: string, number: number, head: { ref: string; sha: string }, base: { ref: string; sha: string }, extra: { merged?: boolean; labels?: string[] } = {}) {
  return {
    action, number, repository,
    pull_request: { number, title: `change ${number}`, merged: extra.merged ?? false, draft: false, labels: (extra.labels ?? []).map((name) => ({ name })), user: { login: "ada" }, head, base },
  };
}
