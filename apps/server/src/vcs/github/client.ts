import { AppError } from "../../errors.js";
import { guardedRequest } from "../../notifications/guarded-request.js";
import type { OutboundGuard } from "../../notifications/outbound-guard.js";

export type CommitState = "pending" | "success" | "failure" | "error";

export interface GithubClientOptions {
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  apiBaseUrl: string;
  token: string;
  /** Judges every address the client connects to (the server always passes its own). */
  guard?: OutboundGuard;
}

/** GitHub answered with an error status (kept, so delivery records can show it). */
export class GithubCallError extends AppError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super("conflict", message);
  }
}

/** GitHub limits a commit status description to 140 characters. */
const MAX_DESCRIPTION = 140;

/**
 * The few GitHub REST calls Gantry makes to report back on a commit or pull request: commit
 * statuses and one summary comment per pull request, updated in place.
 */
export class GithubClient {
  private readonly base: string;

  constructor(private readonly opts: GithubClientOptions) {
    this.base = opts.apiBaseUrl.replace(/\/+$/, "");
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${this.opts.token}`,
      "user-agent": "gantry",
      "x-github-api-version": "2022-11-28",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const send = this.opts.guard
      ? guardedRequest(method, this.base + path, { headers, body: payload, guard: this.opts.guard, timeoutMs: 30_000 })
      : fetch(this.base + path, { method, headers, body: payload }).then(async (r) => ({ status: r.status, text: await r.text() }));
    const res = await send.catch((err: Error) => {
      throw new AppError("conflict", `calling GitHub at ${this.base}: ${String(err.cause ?? err.message)}`);
    });
    const text = res.text;
    if (res.status < 200 || res.status >= 300) throw new GithubCallError(res.status, `GitHub answered ${res.status} to ${method} ${path}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sets the status named `context` on a commit. */
  async setStatus(repo: string, sha: string, status: { state: CommitState; context: string; description: string; targetUrl?: string }): Promise<void> {
    const description = status.description.length > MAX_DESCRIPTION ? `${status.description.slice(0, MAX_DESCRIPTION - 1)}…` : status.description;
    await this.request("POST", `/repos/${repo}/statuses/${sha}`, {
      state: status.state,
      context: status.context,
      description,
      ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
    });
  }

  /**
   * Creates the pull request's comment that carries `marker` (an HTML comment), or edits it if it
   * exists, so each pull request has one Gantry summary however often it is pushed to.
   */
  async upsertComment(repo: string, number: number, marker: string, body: string): Promise<{ id: number; created: boolean }> {
    const full = `${marker}\n${body}`;
    for (let page = 1; page < 50; page++) {
      const comments = await this.request<{ id: number; body: string }[]>("GET", `/repos/${repo}/issues/${number}/comments?per_page=100&page=${page}`);
      const mine = comments.find((c) => c.body.startsWith(marker));
      if (mine) {
        await this.request("PATCH", `/repos/${repo}/issues/comments/${mine.id}`, { body: full });
        return { id: mine.id, created: false };
      }
      if (comments.length < 100) break;
    }
    return { id: await this.addComment(repo, number, full), created: true };
  }

  /** Adds a comment to a pull request (GitHub's issue comments API); returns its id. */
  async addComment(repo: string, number: number, body: string): Promise<number> {
    return (await this.request<{ id: number }>("POST", `/repos/${repo}/issues/${number}/comments`, { body })).id;
  }
}
