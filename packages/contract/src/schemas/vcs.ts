import { z } from "zod";
import { Description, Labels, Name, Slug, Timestamp } from "./common.js";

/** `GITHUB`: webhooks, commit statuses and pull-request comments; `RAW_GIT`: any git server (hooks, polling). */
export const VcsProvider = z.enum(["GITHUB", "RAW_GIT"]);
export type VcsProvider = z.infer<typeof VcsProvider>;

/**
 * A VCS integration, shaped like Spacelift's: the token and webhook secret are write-only
 * (never returned; only whether they are set and a checksum to tell them apart).
 */
export const VcsIntegration = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  spaceId: z.string(),
  labels: Labels,
  provider: VcsProvider,
  apiBaseUrl: z.string().nullable().describe("GitHub's REST API base: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server"),
  tokenChecksum: z.string().nullable().describe("sha256 prefix of the token; the token itself is never returned"),
  webhookSecretChecksum: z.string().nullable().describe("sha256 prefix of the webhook secret; the secret itself is never returned"),
  webhookPath: z.string().nullable().describe("where GitHub sends this integration's webhooks, relative to the server URL"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type VcsIntegration = z.infer<typeof VcsIntegration>;

const ApiBaseUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://api.github.com or https://github.example.com/api/v3" });
const Secret = z.string().min(1).max(4096);

export const CreateVcsIntegration = z
  .strictObject({
    id: Slug.optional(),
    name: Name,
    description: Description.default(""),
    spaceId: z.string().min(1).default("root"),
    labels: Labels.default([]),
    provider: VcsProvider,
    apiBaseUrl: ApiBaseUrl.optional().describe("GITHUB only; defaults to https://api.github.com"),
    token: Secret.optional().describe("GITHUB only: a token allowed to set commit statuses and write pull-request comments"),
    webhookSecret: Secret.optional().describe("GITHUB only: the secret GitHub signs webhooks with (X-Hub-Signature-256)"),
  })
  .superRefine((v, ctx) => {
    if (v.provider === "GITHUB" && !v.webhookSecret) ctx.addIssue({ code: "custom", path: ["webhookSecret"], message: "a GitHub integration needs the webhook secret GitHub signs with: set one here and in the repository's webhook settings" });
    if (v.provider === "RAW_GIT" && (v.token || v.webhookSecret || v.apiBaseUrl)) ctx.addIssue({ code: "custom", path: ["provider"], message: "a RAW_GIT integration takes no token, webhook secret or API URL: use provider GITHUB for those" });
  });
export type CreateVcsIntegration = z.input<typeof CreateVcsIntegration>;

export const UpdateVcsIntegration = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  labels: Labels.optional(),
  apiBaseUrl: ApiBaseUrl.optional(),
  token: Secret.optional(),
  webhookSecret: Secret.optional(),
});
export type UpdateVcsIntegration = z.input<typeof UpdateVcsIntegration>;

const Sha = z.string().regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/, "must be a full commit sha (40 or 64 hexadecimal digits)");

/**
 * A push a git server saw, as a post-receive hook reads it (`old new ref`). An all-zero `before`
 * creates the ref; an all-zero `after` deletes it.
 */
export const VcsNotify = z.strictObject({
  repository: z.string().min(1).max(2048).describe("the repository exactly as stacks name it (URL or path)"),
  ref: z.string().min(1).max(1024).describe("refs/heads/<branch> or refs/tags/<tag>"),
  before: Sha,
  after: Sha,
});
export type VcsNotify = z.input<typeof VcsNotify>;

/** What one stack made of an event. */
export const VcsStackOutcome = z.object({
  stackId: z.string(),
  decision: z.enum(["track", "propose", "ignore", "skip", "error"]),
  runId: z.string().nullable(),
  reason: z.string(),
});
export type VcsStackOutcome = z.infer<typeof VcsStackOutcome>;

export const VcsEventResult = z.object({
  note: z.string(),
  stacks: z.array(VcsStackOutcome),
});
export type VcsEventResult = z.infer<typeof VcsEventResult>;
