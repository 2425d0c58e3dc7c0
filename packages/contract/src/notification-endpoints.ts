import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { IdParams, page, PageQuery } from "./schemas/common.js";
import {
  CreateSlackIntegration, CreateWebhook, Delivery, DeliveryParams, InboxNotification, NotificationListQuery, SlackIntegration, UpdateWebhook, Webhook,
} from "./schemas/notification.js";

const read = { kind: "space", role: "read" } as const;
const admin = { kind: "space", role: "admin" } as const;
const authenticated = { kind: "authenticated" } as const;

/** Notifications: webhook endpoints and their deliveries, Slack integrations, the inbox. */
export const notificationEndpoints = {
  listWebhooks: endpoint({ method: "GET", path: "/api/v1/webhooks", tag: "webhooks", summary: "list the webhook endpoints the caller can read", access: authenticated, query: PageQuery, response: page(Webhook) }),
  getWebhook: endpoint({ method: "GET", path: "/api/v1/webhooks/{id}", tag: "webhooks", summary: "get a webhook endpoint (the secret is never returned)", access: read, params: IdParams, response: Webhook }),
  createWebhook: endpoint({ method: "POST", path: "/api/v1/webhooks", tag: "webhooks", summary: "create a webhook endpoint for a stack or, with labels, for a space", access: admin, body: CreateWebhook, response: Webhook, status: 201 }),
  updateWebhook: endpoint({ method: "PATCH", path: "/api/v1/webhooks/{id}", tag: "webhooks", summary: "update a webhook endpoint or rotate its secret", access: admin, params: IdParams, body: UpdateWebhook, response: Webhook }),
  deleteWebhook: endpoint({ method: "DELETE", path: "/api/v1/webhooks/{id}", tag: "webhooks", summary: "delete a webhook endpoint and its deliveries", access: admin, params: IdParams, response: null, status: 204 }),
  listWebhookDeliveries: endpoint({ method: "GET", path: "/api/v1/webhooks/{id}/deliveries", tag: "webhooks", summary: "deliveries to the endpoint with every attempt, newest first", access: read, params: IdParams, query: PageQuery, response: page(Delivery) }),
  redeliverWebhook: endpoint({ method: "POST", path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", tag: "webhooks", summary: "send a delivery again (a new delivery with the same payload)", access: admin, params: DeliveryParams, response: Delivery, status: 201 }),

  listSlackIntegrations: endpoint({ method: "GET", path: "/api/v1/slack-integrations", tag: "slack", summary: "list the Slack integrations the caller can read", access: authenticated, response: z.object({ items: z.array(SlackIntegration) }) }),
  createSlackIntegration: endpoint({ method: "POST", path: "/api/v1/slack-integrations", tag: "slack", summary: "connect a Slack workspace (bot token or incoming-webhook URL, write-only)", access: admin, body: CreateSlackIntegration, response: SlackIntegration, status: 201 }),
  deleteSlackIntegration: endpoint({ method: "DELETE", path: "/api/v1/slack-integrations/{id}", tag: "slack", summary: "disconnect a Slack workspace", access: admin, params: IdParams, response: null, status: 204 }),

  listNotifications: endpoint({ method: "GET", path: "/api/v1/notifications", tag: "notifications", summary: "inbox messages of the spaces the caller can read, newest first", access: authenticated, query: NotificationListQuery, response: page(InboxNotification) }),
  ackNotification: endpoint({ method: "POST", path: "/api/v1/notifications/{id}/ack", tag: "notifications", summary: "acknowledge an inbox message (for the caller)", access: read, params: IdParams, response: InboxNotification }),
};
