import type { Delivery, InboxNotification, SlackIntegration, Webhook } from "@gantry/contract";
import { parseJson } from "../db/rows.js";
import type { NotificationDeliveriesTable, NotificationDeliveryAttemptsTable, NotificationInboxTable, SlackIntegrationsTable, WebhooksTable } from "../db/schema.js";

/** The endpoint as the API shows it: the secret only as a checksum. */
export function webhookFromRow(r: WebhooksTable): Webhook {
  return {
    id: r.id, name: r.name, spaceId: r.space_id, stackId: r.stack_id, endpoint: r.endpoint, enabled: r.enabled === 1,
    labels: parseJson(r.labels), secretChecksum: r.secret_checksum, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function deliveryFromRows(d: NotificationDeliveriesTable, attempts: NotificationDeliveryAttemptsTable[]): Delivery {
  return {
    id: d.id, eventId: d.event_id, targetKind: d.target_kind as Delivery["targetKind"], targetId: d.target_id, status: d.status as Delivery["status"],
    payload: parseJson(d.payload),
    attempts: attempts.map((a) => ({ id: a.id, status: a.status as "ok" | "error", responseCode: a.response_code, durationMs: a.duration_ms, responseBody: a.response_body, error: a.error, at: a.at })),
    nextAttemptAt: d.next_attempt_at, createdAt: d.created_at, finishedAt: d.finished_at,
  };
}

export function inboxFromRow(r: NotificationInboxTable, acked: boolean): InboxNotification {
  return { id: r.id, spaceId: r.space_id, stackId: r.stack_id, runId: r.run_id, title: r.title, body: r.body, severity: r.severity as InboxNotification["severity"], acked, createdAt: r.created_at };
}

export function slackFromRow(r: SlackIntegrationsTable): SlackIntegration {
  return { id: r.id, name: r.name, spaceId: r.space_id, apiBaseUrl: r.api_base_url, botTokenChecksum: r.bot_token_checksum, incomingWebhook: r.webhook_url_encrypted !== null, createdAt: r.created_at };
}

/** What secrets are bound to when encrypted, so a ciphertext cannot be moved to another row. */
export const webhookSecretContext = (id: string) => `webhook:${id}:secret`;
export const slackSecretContext = (id: string, which: "bot_token" | "webhook_url") => `slack_integration:${id}:${which}`;
