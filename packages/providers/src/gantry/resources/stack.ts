import type { Stack } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf, sorted } from "../api.js";
import { kit } from "../kit.js";
import { hookAttributes, hooksFromApi, hooksToApi } from "./hooks.js";

const toolNames = { TERRAFORM_FOSS: "TERRAFORM", TERRAFORM: "TERRAFORM", OPEN_TOFU: "OPEN_TOFU" } as const;

const fromApi = (s: Stack) => ({
  id: s.id, slug: s.id, name: s.name, description: s.description, space_id: s.spaceId, repository: s.repository, branch: s.branch,
  project_root: s.projectRoot, additional_project_globs: sorted(s.additionalProjectGlobs), labels: sorted(s.labels),
  autodeploy: s.autodeploy, autoretry: s.autoretry, administrative: s.administrative, manage_state: s.manageState,
  protect_from_deletion: s.protectFromDeletion, enable_local_preview: s.enableLocalPreview, smart_sanitization: s.smartSanitization,
  terraform_workflow_tool: s.workflowTool === "TERRAFORM" ? "TERRAFORM_FOSS" : s.workflowTool,
  terraform_version: s.terraformVersion, worker_pool_id: s.workerPoolId, ...hooksFromApi(s.hooks),
});

type Config = Record<string, unknown> & { name: string };

function settings(c: Config) {
  return {
    description: c.description as string, spaceId: c.space_id as string, repository: c.repository as string, branch: c.branch as string,
    projectRoot: c.project_root as string, additionalProjectGlobs: c.additional_project_globs as string[], labels: c.labels as string[],
    autodeploy: c.autodeploy as boolean, autoretry: c.autoretry as boolean, administrative: c.administrative as boolean,
    manageState: c.manage_state as boolean, protectFromDeletion: c.protect_from_deletion as boolean, enableLocalPreview: c.enable_local_preview as boolean,
    smartSanitization: c.smart_sanitization as boolean,
    workflowTool: toolNames[c.terraform_workflow_tool as keyof typeof toolNames],
    terraformVersion: (c.terraform_version as string | null) ?? null, workerPoolId: (c.worker_pool_id as string | null) ?? null,
    hooks: hooksToApi(c),
  };
}

/** API field -> attribute, where they are not the same name in snake_case. */
const fields = { id: "slug", workflowTool: "terraform_workflow_tool" };

/** `gantry_stack`: one root module of one environment. */
export const stack = kit.resource({
  description: "A stack: one root module of one environment, with its settings.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "explicit id; defaults to one derived from the name" }),
    name: attr.string({ required: true }),
    description: attr.string({ optional: true, default: "" }),
    space_id: attr.string({ optional: true, default: "root" }),
    repository: attr.string({ required: true, description: "git URL or local path of the repository" }),
    branch: attr.string({ optional: true, default: "main" }),
    project_root: attr.string({ optional: true, default: "" }),
    additional_project_globs: attr.set(t.string, { optional: true, default: [] }),
    labels: attr.set(t.string, { optional: true, default: [] }),
    autodeploy: attr.bool({ optional: true, default: false }),
    autoretry: attr.bool({ optional: true, default: false }),
    administrative: attr.bool({ optional: true, default: false }),
    manage_state: attr.bool({ optional: true, default: true }),
    protect_from_deletion: attr.bool({ optional: true, default: false }),
    enable_local_preview: attr.bool({ optional: true, default: false }),
    smart_sanitization: attr.bool({ optional: true, default: true, description: "plan policies see only sensitive values hashed; false: every string value hashed (Spacelift's resource sanitization)" }),
    terraform_workflow_tool: attr.string({
      optional: true, default: "TERRAFORM_FOSS",
      validate: (v) => (v in toolNames ? undefined : `must be TERRAFORM_FOSS or OPEN_TOFU, not ${JSON.stringify(v)}`),
    }),
    terraform_version: attr.string({ optional: true }),
    worker_pool_id: attr.string({ optional: true }),
    ...hookAttributes,
  },
  async create({ planned, config, client }) {
    const s = await call(client, "createStack", { body: { ...(config.slug ? { id: config.slug } : {}), name: planned.name, ...settings(planned) } }, fields, { forbiddenAt: "space_id" });
    return fromApi(s);
  },
  async read({ state, client }) {
    const s = await callOrNull(client, "getStack", { params: { id: idOf(state) } });
    return s && fromApi(s);
  },
  async update({ prior, planned, client }) {
    const s = await call(client, "updateStack", { params: { id: idOf(prior) }, body: { name: planned.name, ...settings(planned) } }, fields, { forbiddenAt: "space_id" });
    return fromApi(s);
  },
  async delete({ state, client }) {
    await call(client, "deleteStack", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});
