import { explainStack } from "../attachments/resolve.js";
import { parseJson } from "../db/rows.js";
import type { RunsTable, StacksTable, WebhooksTable } from "../db/schema.js";
import { documentContext, runDocument, stackDocument } from "../runs/policy-documents.js";
import { SpaceTree } from "../spaces/tree.js";
import type { NotificationEvent } from "./events.js";
import { autoAttaches, emptyPlan, webhooksInReach, type FanOutDeps, type FanOutPlan } from "./fanout.js";
import { evaluateNotificationPolicies } from "./policy-evaluation.js";
import { plainSlackMessage, runSlackMessage, runWebhookPayload, type RunEventFacts } from "./payloads.js";
import type { NotificationRules, PullRequestRule } from "./policy-rules.js";
import { resolvePullRequestTarget, type PullRequestTarget } from "./pull-request-target.js";

type RunUpdated = Extract<NotificationEvent, { kind: "run_updated" }>;
type InternalError = Extract<NotificationEvent, { kind: "internal_error" }>;

/** The Slack integration nearest to a space (its own first, then inherited parents'). */
async function slackInReach(deps: FanOutDeps, reach: string[]) {
  if (reach.length === 0) return undefined;
  const rows = await deps.core.db.selectFrom("slack_integrations").selectAll().where("space_id", "in", reach).execute();
  return reach.map((s) => rows.find((r) => r.space_id === s)).find((r) => r !== undefined);
}

/**
 * Turns what the NOTIFICATION policies said into deliveries, inbox messages and internal errors.
 * `defaultPayload` is what a `webhook` rule without its own `payload` sends.
 */
export async function applyRules(
  deps: FanOutDeps,
  plan: FanOutPlan,
  said: { policyId: string; rules: NotificationRules }[],
  ctx: {
    spaceId: string; stackId: string | null; runId: string | null; hooks: WebhooksTable[]; reach: string[]; defaultPayload: unknown; slackMessage(message?: string): unknown;
    /** Where a `pull_request` rule comments, or why it cannot; absent for events that are not about a run. */
    pullRequests?: (rule: PullRequestRule) => Promise<PullRequestTarget | string>;
  },
): Promise<void> {
  const problem = (policyId: string, message: string, severity: "ERROR" | "WARNING" = "ERROR") =>
    plan.errors.push({ kind: "internal_error", spaceId: ctx.spaceId, stackId: ctx.stackId, runId: ctx.runId, message: `NOTIFICATION policy ${policyId}: ${message}`, error: message, severity });
  for (const { policyId, rules } of said) {
    for (const p of rules.problems) problem(policyId, p);
    for (const m of rules.inbox) plan.inbox.push({ space_id: ctx.spaceId, stack_id: ctx.stackId, run_id: ctx.runId, title: m.title, body: m.body, severity: m.severity });
    for (const w of rules.webhook) {
      const hook = ctx.hooks.find((h) => h.id === w.endpoint_id);
      if (!hook) {
        const exists = await deps.core.db.selectFrom("webhooks").select("id").where("id", "=", w.endpoint_id).executeTakeFirst();
        problem(policyId, exists ? `webhook ${JSON.stringify(w.endpoint_id)} is outside the reach of space ${ctx.spaceId}: move it to this space or an inherited parent` : `webhook ${JSON.stringify(w.endpoint_id)} does not exist: create it (gantry webhook create) or fix the policy`);
        continue;
      }
      if (hook.enabled !== 1) continue;
      plan.deliveries.push({ target_kind: "webhook", target_id: hook.id, space_id: hook.space_id, payload: w.payload ?? ctx.defaultPayload });
    }
    if (rules.slack.length > 0) {
      const slack = await slackInReach(deps, ctx.reach);
      if (!slack) problem(policyId, `a slack rule fired but no Slack integration is within reach of space ${ctx.spaceId}: create one (POST /api/v1/slack-integrations)`);
      else for (const s of rules.slack) plan.deliveries.push({ target_kind: "slack", target_id: slack.id, space_id: slack.space_id, payload: { channel: s.channel_id, ...(ctx.slackMessage(s.message) as object) } });
    }
    for (const rule of rules.pull_request) {
      if (!ctx.pullRequests) {
        problem(policyId, "a pull_request rule fired for an event that is not about a run: comments go to a run's pull requests, so it was not acted on", "WARNING");
        continue;
      }
      const target = await ctx.pullRequests(rule);
      if (typeof target === "string") {
        problem(policyId, `pull_request: ${target}`);
        continue;
      }
      for (const number of target.numbers) {
        plan.deliveries.push({ target_kind: "pull_request", target_id: target.integrationId, space_id: ctx.spaceId, payload: { repo: target.repo, number, body: rule.body, deduplicationKey: rule.deduplication_key ?? null } });
      }
    }
  }
}

/** Plans a run state change: attached webhooks, NOTIFICATION policies, or Spacelift's defaults. */
export async function planRunUpdated(deps: FanOutDeps, event: RunUpdated, at: string): Promise<FanOutPlan> {
  const { db } = deps.core;
  const plan = emptyPlan();
  const row = await db.selectFrom("runs").selectAll().where("id", "=", event.runId).executeTakeFirst();
  const stack = await db.selectFrom("stacks").selectAll().where("id", "=", event.stackId).executeTakeFirst();
  if (!row || !stack) return plan;
  if (event.from && deps.metrics) {
    const entered = await db.selectFrom("run_transitions").select("at").where("run_id", "=", event.runId).where("to_state", "=", event.from).where("at", "<=", at).orderBy("id", "desc").limit(1).executeTakeFirst();
    if (entered) deps.metrics.runLeftState(event.from, Math.max(0, Date.parse(at) - Date.parse(entered.at)));
  }
  // The run as it was at this transition, not as it is by the time the event is handled.
  const run: RunsTable = { ...row, state: event.to };
  const runUrl = `${deps.baseUrl().replace(/\/+$/, "")}/api/v1/runs/${run.id}`;
  const facts: RunEventFacts = { run, stack, state: event.to, from: event.from, note: event.note, username: event.username, at, runUrl };
  const payload = runWebhookPayload(facts);
  const { hooks, reach } = await webhooksInReach(deps.core, stack.space_id);
  const stackLabels = new Set(parseJson<string[]>(stack.labels));
  for (const h of hooks) {
    if (h.enabled !== 1) continue;
    if (h.stack_id === stack.id || (h.stack_id === null && autoAttaches(parseJson(h.labels), stackLabels))) {
      plan.deliveries.push({ target_kind: "webhook", target_id: h.id, space_id: h.space_id, payload });
    }
  }
  const policies = (await explainStack(db, stack)).policies.filter((p) => p.type === "NOTIFICATION");
  if (policies.length === 0) {
    // Spacelift's default without notification policies: failures land in the inbox.
    if (event.to === "FAILED") plan.inbox.push({ space_id: stack.space_id, stack_id: stack.id, run_id: run.id, title: `Run ${run.id} of stack ${stack.name} failed`, body: run.failure_reason ?? "", severity: "ERROR" });
    return plan;
  }
  const input = await runUpdatedInput(deps, run, stack, event, hooks, runUrl);
  const said = await evaluateNotificationPolicies(deps, policies, input, { runId: run.id, spaceId: stack.space_id, stackId: stack.id }, plan);
  await applyRules(deps, plan, said, {
    spaceId: stack.space_id, stackId: stack.id, runId: run.id, hooks, reach, defaultPayload: payload, slackMessage: (m) => runSlackMessage(facts, m),
    pullRequests: (rule) => resolvePullRequestTarget(db, stack, run, rule),
  });
  return plan;
}

/** Spacelift's `run_updated` notification input. */
async function runUpdatedInput(deps: FanOutDeps, run: RunsTable, stack: StacksTable, event: RunUpdated, hooks: WebhooksTable[], runUrl: string) {
  const { db } = deps.core;
  const history = await db.selectFrom("run_transitions").select(["to_state", "at"]).where("run_id", "=", run.id).orderBy("id").execute();
  const receipts = await db.selectFrom("run_policy_receipts").select(["type", "policy_name", "outcome", "messages"]).where("run_id", "=", run.id).where("type", "!=", "NOTIFICATION").orderBy("id").execute();
  const plan = receipts.filter((r) => r.type === "PLAN").map((r) => parseJson<Record<string, string[]>>(r.messages));
  const stackDoc = stackDocument(stack, await documentContext(db, stack));
  return {
    account: { name: "gantry" },
    webhook_endpoints: hooks.map((h) => ({ id: h.id, labels: parseJson<string[]>(h.labels) })),
    run_updated: {
      note: event.note ?? "",
      plan_policy_decision: { deny: plan.flatMap((p) => p.deny ?? []), warn: plan.flatMap((p) => p.warn ?? []) },
      policy_receipts: receipts.map((r) => ({ type: r.type, name: r.policy_name, outcome: r.outcome, flags: [] })),
      run: { ...runDocument(run, stack), states_history: history.map((h) => ({ state: h.to_state, timestamp: Date.parse(h.at) * 1e6 })) },
      stack: stackDoc,
      state: event.to,
      timing: {},
      urls: { run: runUrl },
      username: event.username,
    },
  };
}

/** Plans an internal error: an inbox message, and whatever the NOTIFICATION policies in reach route. */
export async function planInternalError(deps: FanOutDeps, event: InternalError): Promise<FanOutPlan> {
  const { db } = deps.core;
  const plan = emptyPlan();
  const stack = event.stackId ? await db.selectFrom("stacks").selectAll().where("id", "=", event.stackId).executeTakeFirst() : undefined;
  const spaceId = stack?.space_id ?? event.spaceId;
  const { hooks, reach } = await webhooksInReach(deps.core, spaceId);
  // Not about a stack: every NOTIFICATION policy within reach of the space has its say.
  const policies = stack
    ? (await explainStack(db, stack)).policies.filter((p) => p.type === "NOTIFICATION")
    : (await db.selectFrom("policies").select(["id", "name"]).where("type", "=", "NOTIFICATION").where("space_id", "in", (await new SpaceTree(db).reachingSpaces(spaceId)).map((s) => s.id)).orderBy("id").execute());
  // Internal errors always reach the inbox: they are what an operator must see, whatever policies route further.
  plan.inbox.push({ space_id: spaceId, stack_id: stack?.id ?? null, run_id: event.runId ?? null, title: event.message, body: event.error, severity: event.severity });
  if (policies.length === 0) return plan;
  const input = { account: { name: "gantry" }, webhook_endpoints: hooks.map((h) => ({ id: h.id, labels: parseJson<string[]>(h.labels) })), internal_error: { error: event.error, message: event.message, severity: event.severity } };
  const said = await evaluateNotificationPolicies(deps, policies, input, { runId: event.runId ?? null, spaceId, stackId: stack?.id ?? null }, plan);
  const payload = { event: "internal_error", account: "gantry", message: event.message, error: event.error, severity: event.severity, spaceId, stackId: stack?.id ?? null, runId: event.runId ?? null, timestamp: Date.now() };
  await applyRules(deps, plan, said, { spaceId, stackId: stack?.id ?? null, runId: event.runId ?? null, hooks, reach, defaultPayload: payload, slackMessage: (m) => plainSlackMessage(m ?? `:warning: ${event.message}: ${event.error}`) });
  return plan;
}

