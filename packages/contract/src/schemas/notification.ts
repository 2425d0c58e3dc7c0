import { z } from "zod";
import { Labels, Name, PageQuery, Slug, Timestamp } from "./common.js";

/**
 * A webhook endpoint, shaped like Spacelift's `spacelift_webhook` (bound to one stack) and
 * `spacelift_named_webhook` (a space, labels, auto-attached by `autoattach:` labels). The secret
 * is write-only: only a checksum comes back.
 */
export const Webhook = z.object({
  id: z.string(),
  name: z.string(),
  spaceId: z.string(),
  stackId: z.string().nullable().describe("set: the webhook receives every run state change of this stack"),
  endpoint: z.string(),
  enabled: z.boolean(),
  labels: Labels,
  secretChecksum: z.string().nullable().describe("sha256 prefix of the signing secret; the secret itself is never returned"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Webhook = z.infer<typeof Webhook>;

const Endpoint = z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://hooks.example.com/gantry" }).max(2048);
const secretMessage = "must be at least 16 bytes: generate one with: openssl rand -hex 32";
const Secret = z.string().max(4096).refine((s) => Buffer.byteLength(s, "utf8") >= 16, secretMessage).describe("the HMAC signing secret (write-only)");
const SecretBase64 = z.base64().max(8192).refine((s) => Buffer.from(s, "base64").length >= 16, secretMessage).describe("the signing secret as base64 of raw bytes (what `--secret-file` sends)");

export const CreateWebhook = z
  .strictObject({
    id: Slug.optional(),
    name: Name,
    spaceId: z.string().min(1).optional().describe("defaults to the stack's space, or root"),
    stackId: z.string().min(1).optional(),
    endpoint: Endpoint,
    enabled: z.boolean().default(true),
    labels: Labels.default([]),
    secret: Secret.optional(),
    secretBase64: SecretBase64.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.secret !== undefined && v.secretBase64 !== undefined) ctx.addIssue({ code: "custom", path: ["secretBase64"], message: "give the secret once: either secret or secretBase64" });
  });
export type CreateWebhook = z.input<typeof CreateWebhook>;

export const UpdateWebhook = z
  .strictObject({ name: Name.optional(), endpoint: Endpoint.optional(), enabled: z.boolean().optional(), labels: Labels.optional(), secret: Secret.optional(), secretBase64: SecretBase64.optional() })
  .superRefine((v, ctx) => {
    if (v.secret !== undefined && v.secretBase64 !== undefined) ctx.addIssue({ code: "custom", path: ["secretBase64"], message: "give the secret once: either secret or secretBase64" });
  });
export type UpdateWebhook = z.input<typeof UpdateWebhook>;

export const DeliveryStatus = z.enum(["PENDING", "DELIVERED", "FAILED"]);

/** One try at delivering: `status` is `ok` (a 2xx answer) or `error`. */
export const DeliveryAttempt = z.object({
  id: z.string(),
  status: z.enum(["ok", "error"]),
  responseCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  responseBody: z.string().describe("the first 4 KiB of the receiver's answer"),
  error: z.string().nullable(),
  at: Timestamp,
});

export const Delivery = z.object({
  id: z.string(),
  eventId: z.string(),
  targetKind: z.enum(["webhook", "slack", "pull_request"]),
  targetId: z.string(),
  status: DeliveryStatus,
  payload: z.unknown(),
  attempts: z.array(DeliveryAttempt),
  nextAttemptAt: Timestamp.nullable(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryParams = z.strictObject({ id: z.string().min(1).max(256), deliveryId: z.string().min(1).max(64) });

/** An inbox message (Spacelift's notifications): from a NOTIFICATION policy's `inbox` rule or the defaults. */
export const InboxNotification = z.object({
  id: z.string(),
  spaceId: z.string(),
  stackId: z.string().nullable(),
  runId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  severity: z.enum(["INFO", "WARNING", "ERROR"]),
  acked: z.boolean().describe("whether the caller acknowledged it"),
  createdAt: Timestamp,
});
export type InboxNotification = z.infer<typeof InboxNotification>;

export const NotificationListQuery = PageQuery.extend({ unacked: z.enum(["true", "false"]).optional().describe("only those the caller has not acknowledged") });

/** A Slack workspace Gantry posts to: a bot token (chat.postMessage, any channel) or one incoming-webhook URL. */
export const SlackIntegration = z.object({
  id: z.string(),
  name: z.string(),
  spaceId: z.string(),
  apiBaseUrl: z.string(),
  botTokenChecksum: z.string().nullable(),
  incomingWebhook: z.boolean().describe("whether an incoming-webhook URL is set (the URL is a secret and never returned)"),
  createdAt: Timestamp,
});
export type SlackIntegration = z.infer<typeof SlackIntegration>;

/** Slack's Web API, where a bot token's messages go unless an integration names a stand-in. */
const SLACK_API = "https://slack.com/api";

export const CreateSlackIntegration = z
  .strictObject({
    id: Slug.optional(),
    name: Name,
    spaceId: z.string().min(1).default("root"),
    apiBaseUrl: z.url({ protocol: /^https?$/ }).default(SLACK_API).describe("Slack's Web API base, for a bot token (a stand-in in tests)"),
    botToken: z.string().regex(/^xoxb-/, "must be a Slack bot token (xoxb-...)").max(512).optional(),
    incomingWebhookUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.botToken === !v.incomingWebhookUrl) ctx.addIssue({ code: "custom", path: ["botToken"], message: "give exactly one of botToken (posts to any channel a policy names) or incomingWebhookUrl (one channel)" });
    // An incoming webhook posts to its own URL: another API base would be stored and never used.
    if (v.incomingWebhookUrl && v.apiBaseUrl.replace(/\/+$/, "") !== SLACK_API) ctx.addIssue({ code: "custom", path: ["apiBaseUrl"], message: "applies only with botToken: an incoming webhook posts to its own URL, so leave apiBaseUrl out" });
  });
export type CreateSlackIntegration = z.input<typeof CreateSlackIntegration>;
