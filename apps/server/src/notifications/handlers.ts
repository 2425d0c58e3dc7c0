import type { notificationEndpoints } from "@gantry/contract";
import type { Handlers } from "../http/handlers.js";
import type { Services } from "../services.js";

/** Handlers of the notification endpoints: each one service call. */
export function notificationHandlers(s: Services): Pick<Handlers, keyof typeof notificationEndpoints> {
  return {
    listWebhooks: ({ actor, query }) => s.webhooks.list(actor, query),
    getWebhook: ({ actor, params }) => s.webhooks.get(actor, params.id),
    createWebhook: ({ actor, body }) => s.webhooks.create(actor, body),
    updateWebhook: ({ actor, params, body }) => s.webhooks.update(actor, params.id, body),
    deleteWebhook: ({ actor, params }) => s.webhooks.delete(actor, params.id),
    listWebhookDeliveries: ({ actor, params, query }) => s.webhooks.deliveries(actor, params.id, query),
    redeliverWebhook: ({ actor, params }) => s.webhooks.redeliver(actor, params.id, params.deliveryId),
    listSlackIntegrations: ({ actor }) => s.slack.list(actor),
    createSlackIntegration: ({ actor, body }) => s.slack.create(actor, body),
    deleteSlackIntegration: ({ actor, params }) => s.slack.delete(actor, params.id),
    listNotifications: ({ actor, query }) => s.inbox.list(actor, query),
    ackNotification: ({ actor, params }) => s.inbox.ack(actor, params.id),
  };
}
