import { createHash } from "node:crypto";
import type { Webhook } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf, sorted } from "../api.js";
import { kit } from "../kit.js";

/** The API's checksum of a secret: a sha256 prefix, enough to notice a secret changed outside Terraform. */
const checksum = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 16);

/** The secret is write-only: keep the configured one while the server's checksum matches it, else show a change. */
function secretFrom(w: Webhook, prior: string | null | undefined): string | null {
  if (!w.secretChecksum) return prior ? "" : null;
  return prior && checksum(prior) === w.secretChecksum ? prior : "";
}

/**
 * `gantry_webhook`: Spacelift's `spacelift_webhook`, an endpoint receiving every run state change
 * of one stack (`module_id` is refused until the module registry exists).
 */
export const webhook = kit.resource({
  description: "An HTTP endpoint that receives every run state change of a stack, signed with the secret (X-Signature-256).",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    endpoint: attr.string({ required: true }),
    stack_id: attr.string({ optional: true, requiresReplace: true }),
    module_id: attr.string({ optional: true, description: "not supported yet: the module registry does not exist" }),
    enabled: attr.bool({ optional: true, default: true }),
    secret: attr.string({ optional: true, sensitive: true }),
  },
  validate({ config, diagnostics }) {
    if (config.module_id !== null && config.module_id !== undefined) diagnostics.error("module webhooks are not supported yet", "Gantry has no module registry yet: attach the webhook to a stack (stack_id)", ["module_id"]);
    if (config.stack_id === null) diagnostics.error("missing stack_id", "a gantry_webhook belongs to a stack: set stack_id (or use gantry_named_webhook for a space)", ["stack_id"]);
  },
  async create({ planned, client }) {
    const w = await call(client, "createWebhook", {
      body: { name: `${planned.stack_id}-webhook-${Date.now().toString(36)}`, stackId: planned.stack_id ?? undefined, endpoint: planned.endpoint, enabled: planned.enabled, ...(planned.secret ? { secret: planned.secret } : {}) },
    }, { stackId: "stack_id" });
    return { id: w.id, endpoint: w.endpoint, stack_id: w.stackId, enabled: w.enabled, secret: secretFrom(w, planned.secret) };
  },
  async read({ state, client }) {
    const w = await callOrNull(client, "getWebhook", { params: { id: idOf(state) } });
    return w && { endpoint: w.endpoint, stack_id: w.stackId, enabled: w.enabled, secret: secretFrom(w, state.secret) };
  },
  async update({ prior, planned, client }) {
    const w = await call(client, "updateWebhook", { params: { id: idOf(prior) }, body: { endpoint: planned.endpoint, enabled: planned.enabled, ...(planned.secret ? { secret: planned.secret } : {}) } });
    return { endpoint: w.endpoint, enabled: w.enabled, secret: secretFrom(w, planned.secret) };
  },
  async delete({ state, client }) {
    await call(client, "deleteWebhook", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});

/**
 * `gantry_named_webhook`: Spacelift's `spacelift_named_webhook`, an endpoint in a space that
 * stacks reach through `autoattach:` labels and NOTIFICATION policies route to by id.
 */
export const namedWebhook = kit.resource({
  description: "A named webhook endpoint in a space: auto-attached to stacks by autoattach: labels, and a target for NOTIFICATION policies.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "explicit id; defaults to one derived from the name" }),
    name: attr.string({ required: true }),
    endpoint: attr.string({ required: true }),
    space_id: attr.string({ required: true, requiresReplace: true }),
    enabled: attr.bool({ required: true }),
    labels: attr.set(t.string, { optional: true, default: [] }),
    secret: attr.string({ optional: true, sensitive: true }),
  },
  async create({ planned, config, client }) {
    const w = await call(client, "createWebhook", {
      body: { ...(config.slug ? { id: config.slug } : {}), name: planned.name, spaceId: planned.space_id, endpoint: planned.endpoint, enabled: planned.enabled, labels: planned.labels, ...(planned.secret ? { secret: planned.secret } : {}) },
    }, { id: "slug", spaceId: "space_id" });
    return { id: w.id, slug: w.id, name: w.name, endpoint: w.endpoint, space_id: w.spaceId, enabled: w.enabled, labels: sorted(w.labels), secret: secretFrom(w, planned.secret) };
  },
  async read({ state, client }) {
    const w = await callOrNull(client, "getWebhook", { params: { id: idOf(state) } });
    return w && { slug: w.id, name: w.name, endpoint: w.endpoint, space_id: w.spaceId, enabled: w.enabled, labels: sorted(w.labels), secret: secretFrom(w, state.secret) };
  },
  async update({ prior, planned, client }) {
    const w = await call(client, "updateWebhook", { params: { id: idOf(prior) }, body: { name: planned.name, endpoint: planned.endpoint, enabled: planned.enabled, labels: planned.labels, ...(planned.secret ? { secret: planned.secret } : {}) } });
    return { name: w.name, endpoint: w.endpoint, enabled: w.enabled, labels: sorted(w.labels), secret: secretFrom(w, planned.secret) };
  },
  async delete({ state, client }) {
    await call(client, "deleteWebhook", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});
