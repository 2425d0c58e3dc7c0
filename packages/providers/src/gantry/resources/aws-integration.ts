import type { AwsIntegration } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf, sorted, splitImportId } from "../api.js";
import { kit } from "../kit.js";

const fromApi = (i: AwsIntegration) => ({
  id: i.id, slug: i.id, name: i.name, space_id: i.spaceId, labels: sorted(i.labels), role_arn: i.roleArn, duration_seconds: i.durationSeconds,
  generate_credentials_in_worker: i.generateCredentialsInWorker, external_id: i.externalId, region: i.region, audience: i.audience });

/** The settings both create and update send; unset optional strings are sent as null (cleared). */
const settings = (p: { generate_credentials_in_worker: boolean; external_id: string | null; region: string | null; audience: string | null }) => ({
  generateCredentialsInWorker: p.generate_credentials_in_worker, externalId: p.external_id ?? null, region: p.region ?? null, audience: p.audience ?? null });

/** `gantry_aws_integration`: an AWS role that runs assume with a web identity token. */
export const awsIntegration = kit.resource({
  description: "An AWS role runs assume through OIDC (no static keys).",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "explicit id; defaults to one derived from the name" }),
    name: attr.string({ required: true }),
    space_id: attr.string({ optional: true, default: "root" }),
    labels: attr.set(t.string, { optional: true, default: [] }),
    role_arn: attr.string({ required: true }),
    duration_seconds: attr.int({ optional: true, default: 3600 }),
    generate_credentials_in_worker: attr.bool({ optional: true, default: false, description: "the worker assumes the role and hands the run temporary keys (AWS_ACCESS_KEY_ID, ...) instead of AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE" }),
    external_id: attr.string({ optional: true, description: "added to the run's identity token as the externalId claim" }),
    region: attr.string({ optional: true, description: "AWS_REGION of the runs, and the regional STS endpoint" }),
    audience: attr.string({ optional: true, description: "aud of the run's identity token (default: the issuer's host name)" }),
  },
  async create({ planned, config, client }) {
    const i = await call(client, "createAwsIntegration", {
      body: { ...(config.slug ? { id: config.slug } : {}), name: planned.name, spaceId: planned.space_id, labels: planned.labels, roleArn: planned.role_arn, durationSeconds: planned.duration_seconds, ...settings(planned) },
    }, { id: "slug" });
    return fromApi(i);
  },
  async read({ state, client }) {
    const i = await callOrNull(client, "getAwsIntegration", { params: { id: idOf(state) } });
    return i && fromApi(i);
  },
  async update({ prior, planned, client }) {
    const i = await call(client, "updateAwsIntegration", {
      params: { id: idOf(prior) },
      body: { name: planned.name, spaceId: planned.space_id, labels: planned.labels, roleArn: planned.role_arn, durationSeconds: planned.duration_seconds, ...settings(planned) },
    });
    return fromApi(i);
  },
  async delete({ state, client }) {
    await call(client, "deleteAwsIntegration", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});

/** `gantry_aws_integration_attachment`: lets a stack's runs use an integration (read: proposed, write: tracked). */
export const awsIntegrationAttachment = kit.resource({
  description: "Attaches an AWS integration to a stack for read (proposed) and/or write (tracked) runs.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    integration_id: attr.string({ required: true, requiresReplace: true }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
    read: attr.bool({ optional: true, default: true }),
    write: attr.bool({ optional: true, default: true }),
  },
  async create({ planned, client }) {
    await call(client, "attachAwsIntegration", { params: { id: planned.stack_id, entityId: planned.integration_id }, body: { read: planned.read, write: planned.write } });
    return { id: `${planned.stack_id}/${planned.integration_id}` };
  },
  async read({ state, client }) {
    const list = await callOrNull(client, "listStackAttachments", { params: { id: state.stack_id } });
    const a = list?.items.find((x) => x.kind === "aws_integration" && x.entityId === state.integration_id);
    return a ? { read: a.read, write: a.write } : null;
  },
  async update({ planned, client }) {
    await call(client, "attachAwsIntegration", { params: { id: planned.stack_id, entityId: planned.integration_id }, body: { read: planned.read, write: planned.write } });
    return {};
  },
  async delete({ state, client }) {
    await call(client, "detachAwsIntegration", { params: { id: state.stack_id, entityId: state.integration_id } });
  },
  import: ({ id }) => {
    const [stackId, entityId] = splitImportId(id, "integration");
    return { id, stack_id: stackId, integration_id: entityId };
  },
});
