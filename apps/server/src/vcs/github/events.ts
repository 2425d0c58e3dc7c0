import { z } from "zod";

/** The parts of GitHub's webhook payloads Gantry reads. Everything else is ignored. */
const Repository = z.object({ full_name: z.string(), clone_url: z.string(), default_branch: z.string().optional() });
const Commit = z.object({ id: z.string(), message: z.string(), author: z.object({ name: z.string().optional(), username: z.string().optional() }).partial().optional() });

export const GithubPushPayload = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  forced: z.boolean().optional(),
  repository: Repository,
  head_commit: Commit.nullable().optional(),
  commits: z.array(Commit).optional(),
  pusher: z.object({ name: z.string() }).partial().optional(),
});

export const GithubPullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int(),
  pull_request: z.object({
    number: z.number().int(),
    title: z.string(),
    merged: z.boolean().nullable().optional(),
    draft: z.boolean().optional(),
    labels: z.array(z.object({ name: z.string() })).optional(),
    user: z.object({ login: z.string() }).partial().optional(),
    head: z.object({ ref: z.string(), sha: z.string() }),
    base: z.object({ ref: z.string(), sha: z.string() }),
  }),
  label: z.object({ name: z.string() }).optional(),
  repository: Repository,
});

const ZERO_SHA = /^0+$/;

/** A VCS event in Gantry's own words, whatever the source (GitHub webhook, git hook, poller). */
export type VcsEvent =
  | {
      kind: "push";
      repository: string;
      branch: string | null;
      tag: string | null;
      /** null when the branch was created (nothing before it). */
      before: string | null;
      /** null when the branch or tag was deleted. */
      after: string | null;
      forced: boolean;
      message: string;
      author: string;
    }
  | {
      kind: "pull_request";
      repository: string;
      action: "opened" | "synchronize" | "reopened" | "closed" | "labeled" | "other";
      number: number;
      title: string;
      merged: boolean;
      labels: string[];
      headBranch: string;
      headSha: string;
      baseBranch: string;
      baseSha: string;
      author: string;
    };

/**
 * Parses a GitHub webhook into a {@link VcsEvent}. Returns null for event types Gantry does not
 * act on (`ping`, issues, ...); throws a zod error for payloads that do not have the shape.
 */
export function parseGithubEvent(eventType: string, payload: unknown): VcsEvent | null {
  if (eventType === "push") {
    const p = GithubPushPayload.parse(payload);
    const branch = p.ref.startsWith("refs/heads/") ? p.ref.slice(11) : null;
    const tag = p.ref.startsWith("refs/tags/") ? p.ref.slice(10) : null;
    const head = p.head_commit ?? p.commits?.at(-1);
    return {
      kind: "push",
      repository: p.repository.full_name,
      branch,
      tag,
      before: ZERO_SHA.test(p.before) ? null : p.before,
      after: p.deleted || ZERO_SHA.test(p.after) ? null : p.after,
      forced: p.forced ?? false,
      message: head?.message ?? "",
      author: head?.author?.username ?? head?.author?.name ?? p.pusher?.name ?? "",
    };
  }
  if (eventType === "pull_request") {
    const p = GithubPullRequestPayload.parse(payload);
    const known = ["opened", "synchronize", "reopened", "closed", "labeled"] as const;
    const action = (known as readonly string[]).includes(p.action) ? (p.action as (typeof known)[number]) : "other";
    const pr = p.pull_request;
    return {
      kind: "pull_request",
      repository: p.repository.full_name,
      action,
      number: pr.number,
      title: pr.title,
      merged: pr.merged ?? false,
      labels: (pr.labels ?? []).map((l) => l.name),
      headBranch: pr.head.ref,
      headSha: pr.head.sha,
      baseBranch: pr.base.ref,
      baseSha: pr.base.sha,
      author: pr.user?.login ?? "",
    };
  }
  return null;
}
