import { ulid } from "ulid";
import { inTransaction, type Core } from "../core.js";
import { now, parseJson } from "../db/rows.js";
import type { NotificationDeliveriesTable } from "../db/schema.js";
import { recordNotificationEvent } from "./events.js";
import { postJson, type PostResult } from "./http-post.js";
import type { NotificationMetrics } from "./metrics-hooks.js";
import type { OutboundGuard } from "./outbound-guard.js";
import { slackSecretContext, webhookSecretContext } from "./rows.js";
import { signatureHeaders } from "./signature.js";
import { GithubCallError, GithubClient } from "../vcs/github/client.js";
import { integrationSecretContext } from "../vcs/integrations/service.js";
import { notificationCommentMarker } from "./pull-request-target.js";

export interface DeliveryPolicy {
  /** Attempts before a delivery is given up. */
  maxAttempts: number;
  /** Delay before the second attempt; doubled for each further one. */
  backoffMs: number;
  /** Longest wait for one receiver's answer. */
  timeoutMs: number;
}

export interface DeliverDeps {
  core: Core;
  guard: OutboundGuard;
  policy: DeliveryPolicy;
  metrics?: NotificationMetrics;
}

/** When the attempt after `attempts` failed ones is due: base * 2^(attempts-1). */
export function nextAttemptDelayMs(policy: DeliveryPolicy, attempts: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attempts - 1);
}

/** Endpoints read in the last second, with their decrypted secrets: a burst of deliveries to one endpoint reads it once. */
const endpointCache = new WeakMap<DeliverDeps, Map<string, { at: number; endpoint: string; secret: Buffer | null } | null>>();
const ENDPOINT_CACHE_MS = 1000;

async function webhookEndpoint(deps: DeliverDeps, id: string) {
  let cache = endpointCache.get(deps);
  if (!cache) endpointCache.set(deps, (cache = new Map()));
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < ENDPOINT_CACHE_MS) return hit;
  const hook = await deps.core.db.selectFrom("webhooks").select(["id", "endpoint", "secret_encrypted"]).where("id", "=", id).executeTakeFirst();
  const entry = hook ? { at: Date.now(), endpoint: hook.endpoint, secret: hook.secret_encrypted ? deps.core.box.decrypt(hook.secret_encrypted, webhookSecretContext(hook.id)) : null } : null;
  if (entry) cache.set(id, entry);
  else cache.delete(id);
  return entry;
}

/** Sends one webhook delivery, signed with the endpoint's secret (a change of URL or secret applies within a second). */
async function sendWebhook(deps: DeliverDeps, d: NotificationDeliveriesTable): Promise<PostResult> {
  const hook = await webhookEndpoint(deps, d.target_id);
  if (!hook) return { ok: false, status: null, body: "", error: `webhook ${d.target_id} no longer exists`, durationMs: 0 };
  return postJson(hook.endpoint, d.payload, signatureHeaders(hook.secret, d.payload, d.id), { guard: deps.guard, timeoutMs: deps.policy.timeoutMs });
}

/**
 * Sends one Slack message: `chat.postMessage` with the bot token (Slack answers 200 with
 * `{ok:false,error}` on failures, so the body decides), or a POST to the incoming webhook.
 */
async function sendSlack(deps: DeliverDeps, d: NotificationDeliveriesTable): Promise<PostResult> {
  const slack = await deps.core.db.selectFrom("slack_integrations").selectAll().where("id", "=", d.target_id).executeTakeFirst();
  if (!slack) return { ok: false, status: null, body: "", error: `Slack integration ${d.target_id} no longer exists`, durationMs: 0 };
  const opts = { guard: deps.guard, timeoutMs: deps.policy.timeoutMs };
  if (slack.bot_token_encrypted) {
    const token = deps.core.box.decrypt(slack.bot_token_encrypted, slackSecretContext(slack.id, "bot_token")).toString("utf8");
    const res = await postJson(`${slack.api_base_url.replace(/\/+$/, "")}/chat.postMessage`, d.payload, { authorization: `Bearer ${token}`, "content-type": "application/json; charset=utf-8" }, opts);
    if (!res.ok) return res;
    let answer: { ok?: boolean; error?: string } = {};
    try {
      answer = JSON.parse(res.body) as typeof answer;
    } catch {
      return { ...res, ok: false, error: "Slack answered with something that is not JSON" };
    }
    return answer.ok ? res : { ...res, ok: false, error: `Slack refused the message: ${answer.error ?? "unknown error"}` };
  }
  const url = deps.core.box.decrypt(slack.webhook_url_encrypted!, slackSecretContext(slack.id, "webhook_url")).toString("utf8");
  // An incoming webhook posts to its own channel: the channel field is not part of its API.
  const { channel: _channel, ...message } = parseJson<Record<string, unknown>>(d.payload);
  return postJson(url, JSON.stringify(message), {}, opts);
}

/**
 * Comments on a pull request for a NOTIFICATION policy's `pull_request` rule, through the stack's
 * GitHub integration; with a deduplication key the earlier comment carrying it is edited instead.
 */
async function sendPullRequestComment(deps: DeliverDeps, d: NotificationDeliveriesTable): Promise<PostResult> {
  const started = Date.now();
  const integration = await deps.core.db.selectFrom("vcs_integrations").selectAll().where("id", "=", d.target_id).executeTakeFirst();
  if (!integration?.token_encrypted || !integration.api_base_url) return { ok: false, status: null, body: "", error: `VCS integration ${d.target_id} no longer exists or has no token`, durationMs: 0 };
  const { repo, number, body, deduplicationKey } = parseJson<{ repo: string; number: number; body: string; deduplicationKey: string | null }>(d.payload);
  const token = deps.core.box.decrypt(integration.token_encrypted, integrationSecretContext(integration.id, "token")).toString("utf8");
  const client = new GithubClient({ apiBaseUrl: integration.api_base_url, token, guard: deps.guard });
  try {
    const id = deduplicationKey ? (await client.upsertComment(repo, number, notificationCommentMarker(deduplicationKey), body)).id : await client.addComment(repo, number, body);
    return { ok: true, status: 201, body: JSON.stringify({ comment: id }), error: null, durationMs: Date.now() - started };
  } catch (err) {
    return { ok: false, status: err instanceof GithubCallError ? err.status : null, body: "", error: (err as Error).message, durationMs: Date.now() - started };
  }
}

const senders: Record<string, (deps: DeliverDeps, d: NotificationDeliveriesTable) => Promise<PostResult>> = { webhook: sendWebhook, slack: sendSlack, pull_request: sendPullRequestComment };

/**
 * Makes one attempt at a delivery and records it with the outcome: delivered, due again after
 * the backoff, or failed for good (which is itself reported as an internal-error event, unless
 * it carried one: that could loop).
 */
export async function attemptDelivery(deps: DeliverDeps, d: NotificationDeliveriesTable): Promise<void> {
  const send = senders[d.target_kind];
  const result = send ? await send(deps, d) : { ok: false, status: null, body: "", error: `unknown delivery target kind ${d.target_kind}`, durationMs: 0 };
  const attempts = d.attempts + 1;
  const at = now();
  const outcome = result.ok ? "delivered" : attempts >= deps.policy.maxAttempts ? "failed" : "retry";
  await inTransaction(deps.core.db, async (trx) => {
    await trx.insertInto("notification_delivery_attempts").values({ id: ulid(), delivery_id: d.id, status: result.ok ? "ok" : "error", response_code: result.status, duration_ms: result.durationMs, response_body: result.body, error: result.error, at }).execute();
    await trx
      .updateTable("notification_deliveries")
      .set({
        attempts,
        status: outcome === "delivered" ? "DELIVERED" : outcome === "failed" ? "FAILED" : "PENDING",
        next_attempt_at: outcome === "retry" ? new Date(Date.now() + nextAttemptDelayMs(deps.policy, attempts)).toISOString() : null,
        finished_at: outcome === "retry" ? null : at,
      })
      .where("id", "=", d.id)
      .execute();
    if (outcome === "failed" && d.event_kind !== "internal_error") {
      await recordNotificationEvent(trx, { kind: "internal_error", spaceId: d.space_id, message: `${d.target_kind} ${d.target_id}: delivery ${d.id} failed after ${attempts} attempts`, error: result.error ?? "unknown error", severity: "ERROR" });
    }
  });
  deps.metrics?.deliveryAttempt(d.target_kind, outcome, result.durationMs);
  if (outcome === "delivered") deps.metrics?.delivered(d.target_kind, d.event_at);
}
