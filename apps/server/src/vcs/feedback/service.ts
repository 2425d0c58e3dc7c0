import type { RunState } from "@gantry/contract";
import { OutboundGuard } from "../../notifications/outbound-guard.js";
import type { Core } from "../../core.js";
import { parseJson } from "../../db/rows.js";
import type { RunsTable, StacksTable, VcsIntegrationsTable } from "../../db/schema.js";
import type { RunEvents } from "../../runs/events.js";
import type { Subsystem } from "../../subsystems/subsystem.js";
import { GithubClient } from "../github/client.js";
import { integrationSecretContext } from "../integrations/service.js";
import { githubRepoName } from "../repository-match.js";
import { recordNotificationEvent } from "../../notifications/events.js";
import { commitStatusFor } from "./commit-status.js";
import { COMMENT_MARKER, renderPullRequestComment, type StackSummary } from "./pr-comment.js";
import { POLICY_WHAT_IF_PHASE } from "../../policies/admin-what-if.js";

/** States after which the plan of a run is known (or will never be): time to update the comment. */
const settled = new Set(["QUEUED", "UNCONFIRMED", "PENDING_REVIEW", "FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"]);

export interface FeedbackOptions {
  /** Where people open a run (the server's URL); run links are `<base>/api/v1/runs/<id>`. */
  baseUrl: () => string;
  /** Delays between attempts of a GitHub call that failed. */
  retryDelaysMs?: number[];
}

/**
 * Reports VCS runs back to GitHub: a commit status per stack (`gantry/<stack>`) on every state
 * change that matters, and one summary comment per pull request, edited in place. Calls for one
 * run (and one pull request) are made in order; a failing call is retried a few times and then
 * logged: feedback never breaks a run.
 */
export function vcsFeedbackSubsystem(core: Core, events: RunEvents, opts: FeedbackOptions): Subsystem & { idle(): Promise<void> } {
  const { db, box, log } = core;
  const guard = core.outboundGuard ?? new OutboundGuard([]);
  const delays = opts.retryDelaysMs ?? [250, 1000, 4000];
  const chains = new Map<string, Promise<void>>();
  const lastStatus = new Map<string, string>();
  /** Runs whose failed feedback is already an internal error (bounded: oldest forgotten first). */
  const reportedRuns = new Set<string>();

  const serial = (key: string, fn: () => Promise<void>) => {
    const next = (chains.get(key) ?? Promise.resolve()).then(fn).catch((err: unknown) => log.warn({ err }, "vcs feedback failed"));
    chains.set(key, next);
    void next.then(() => chains.get(key) === next && chains.delete(key));
    return next;
  };

  /**
   * Calls GitHub, retrying a few times; a call that still fails becomes an internal-error event
   * (inbox, NOTIFICATION policies) about the run, so people learn their pull request lacks it.
   */
  async function withRetries(what: string, about: { run: RunsTable; stack: StacksTable }, fn: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fn();
        return;
      } catch (err) {
        if (attempt >= delays.length) {
          const message = `VCS feedback: ${what} failed after ${attempt + 1} attempts`;
          log.warn({ err }, `${message}: ${(err as Error).message}`);
          // Once per run: a revoked token fails every later update of the run the same way.
          if (reportedRuns.has(about.run.id)) return;
          reportedRuns.add(about.run.id);
          if (reportedRuns.size > 10_000) reportedRuns.delete(reportedRuns.values().next().value!);
          await recordNotificationEvent(db, { kind: "internal_error", spaceId: about.stack.space_id, stackId: about.stack.id, runId: about.run.id, message, error: (err as Error).message, severity: "WARNING" }).catch((e: unknown) =>
            log.error({ err: e }, "VCS feedback: the failure could not be recorded as an internal error"),
          );
          return;
        }
        await new Promise((r) => setTimeout(r, delays[attempt]));
      }
    }
  }

  async function context(runId: string): Promise<{ run: RunsTable; stack: StacksTable; integration: VcsIntegrationsTable; client: GithubClient; repo: string } | null> {
    const run = await db.selectFrom("runs").selectAll().where("id", "=", runId).executeTakeFirst();
    if (!run?.vcs_key || !run.commit_sha) return null;
    const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirst();
    if (!stack?.vcs_integration_id) return null;
    const integration = await db.selectFrom("vcs_integrations").selectAll().where("id", "=", stack.vcs_integration_id).executeTakeFirst();
    const repo = githubRepoName(stack.repository);
    if (!integration || integration.provider !== "GITHUB" || !integration.token_encrypted || !integration.api_base_url || !repo) return null;
    const client = new GithubClient({ apiBaseUrl: integration.api_base_url, token: box.decrypt(integration.token_encrypted, integrationSecretContext(integration.id, "token")).toString("utf8"), guard });
    return { run, stack, integration, client, repo };
  }

  const runUrl = (id: string) => `${opts.baseUrl().replace(/\/+$/, "")}/api/v1/runs/${id}`;

  async function summaries(integrationId: string, repo: string, number: number): Promise<StackSummary[]> {
    const rows = await db
      .selectFrom("runs").innerJoin("stacks", "stacks.id", "runs.stack_id")
      .select(["runs.id", "runs.stack_id", "runs.state", "runs.delta", "runs.commit_sha", "stacks.repository"])
      .where("runs.pull_request", "=", number).where("stacks.vcs_integration_id", "=", integrationId).where("runs.vcs_key", "is not", null)
      .orderBy("runs.id", "desc").execute();
    const latest = new Map<string, (typeof rows)[number]>();
    for (const r of rows) if (githubRepoName(r.repository) === repo && !latest.has(r.stack_id)) latest.set(r.stack_id, r);
    const out: StackSummary[] = [];
    for (const r of [...latest.values()].sort((a, b) => a.stack_id.localeCompare(b.stack_id))) {
      const receipts = await db.selectFrom("run_policy_receipts").select("messages").where("run_id", "=", r.id).where("type", "=", "PLAN").execute();
      const said = receipts.map((x) => parseJson<Record<string, string[]>>(x.messages));
      const whatIf = await db.selectFrom("run_logs").select("text").where("run_id", "=", r.id).where("phase", "=", POLICY_WHAT_IF_PHASE).orderBy("seq").execute();
      out.push({
        stackId: r.stack_id, runId: r.id, runUrl: runUrl(r.id), sha: r.commit_sha ?? "", state: r.state, delta: r.delta ? parseJson(r.delta) : null,
        warnings: said.flatMap((m) => m.warn ?? []), denials: said.flatMap((m) => m.deny ?? []),
        policyWhatIf: whatIf.flatMap((l) => l.text.split("\n").filter((x) => x.trim() !== "")),
      });
    }
    return out;
  }

  async function report(runId: string, state: RunState): Promise<void> {
    const ctx = await context(runId);
    if (!ctx) return;
    const { run, stack, integration, client, repo } = ctx;
    const status = commitStatusFor(state, run.type);
    if (status && lastStatus.get(runId) !== `${status.state}:${status.description}`) {
      lastStatus.set(runId, `${status.state}:${status.description}`);
      if (status.state !== "pending") lastStatus.delete(runId);
      await withRetries(`setting the status of ${stack.id} on ${run.commit_sha!.slice(0, 12)}`, { run, stack }, () =>
        client.setStatus(repo, run.commit_sha!, { ...status, context: `gantry/${stack.id}`, targetUrl: runUrl(run.id) }),
      );
    }
    const pr = run.pull_request;
    if (pr && settled.has(state)) {
      await serial(`pr:${integration.id}:${repo}:${pr}`, async () => {
        const body = renderPullRequestComment(pr, await summaries(integration.id, repo, pr));
        await withRetries(`updating the comment on ${repo}#${pr}`, { run, stack }, () => client.upsertComment(repo, pr, COMMENT_MARKER, body));
      });
    }
  }

  return {
    name: "vcs-feedback",
    // Every replica reports the run changes it sees in-process. (A durable outbox would make
    // this exclusive and restart-proof; see the notifications design.)
    mode: "every-replica",
    async run({ signal }) {
      const off = events.onRunChanged((runId, state) => void serial(`run:${runId}`, () => report(runId, state)));
      await new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true }));
      off();
    },
    /** Resolves when every queued call has been made (tests, shutdown). */
    async idle() {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}
