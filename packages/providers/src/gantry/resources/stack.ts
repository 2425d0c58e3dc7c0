import type { Stack } from "@gantry/contract";
import { attr, block, t } from "@gantry/tfplugin";
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
  kubernetes: s.kubernetes ? { namespace: s.kubernetes.namespace, kubectl_version: s.kubernetes.kubectlVersion } : null,
  ansible: s.ansible ? { playbook: s.ansible.playbook } : null,
  pulumi: s.pulumi ? { login_url: s.pulumi.loginUrl, stack_name: s.pulumi.stackName } : null,
  cloudformation: s.cloudformation
    ? { entry_template_file: s.cloudformation.entryTemplateFile, region: s.cloudformation.region, stack_name: s.cloudformation.stackName, template_bucket: s.cloudformation.templateBucket }
    : null,
});

type Block = Record<string, unknown> | null | undefined;

/**
 * The vendor and its settings, as Spacelift's provider has them: the block present names the
 * vendor (no block: TERRAFORM). The server refuses PULUMI and CLOUDFORMATION with the reason.
 */
function vendorSettings(c: Config) {
  const k = c.kubernetes as Block;
  const a = c.ansible as Block;
  const p = c.pulumi as Block;
  const cf = c.cloudformation as Block;
  return {
    vendor: k ? "KUBERNETES" : a ? "ANSIBLE" : p ? "PULUMI" : cf ? "CLOUDFORMATION" : "TERRAFORM",
    kubernetes: k ? { namespace: (k.namespace as string | null) ?? "", kubectlVersion: (k.kubectl_version as string | null) ?? null } : null,
    ansible: a ? { playbook: a.playbook as string } : null,
    pulumi: p ? { loginUrl: p.login_url as string, stackName: p.stack_name as string } : null,
    cloudformation: cf ? { entryTemplateFile: cf.entry_template_file as string, region: cf.region as string, stackName: cf.stack_name as string, templateBucket: cf.template_bucket as string } : null,
  } as const;
}

type Config = Record<string, unknown> & { name: string };

function settings(c: Config) {
  return {
    description: c.description as string, spaceId: c.space_id as string, repository: c.repository as string, branch: c.branch as string,
    projectRoot: c.project_root as string, additionalProjectGlobs: c.additional_project_globs as string[], labels: c.labels as string[],
    autodeploy: c.autodeploy as boolean, autoretry: c.autoretry as boolean, administrative: c.administrative as boolean,
    // Unset: the server's default for the vendor (true for terraform, false for the others).
    ...(typeof c.manage_state === "boolean" ? { manageState: c.manage_state } : {}),
    ...vendorSettings(c),
    protectFromDeletion: c.protect_from_deletion as boolean, enableLocalPreview: c.enable_local_preview as boolean,
    smartSanitization: c.smart_sanitization as boolean,
    workflowTool: toolNames[c.terraform_workflow_tool as keyof typeof toolNames],
    terraformVersion: (c.terraform_version as string | null) ?? null, workerPoolId: (c.worker_pool_id as string | null) ?? null,
    hooks: hooksToApi(c),
    // Only spacelift_stack sets it (its github_enterprise block names the GitHub integration);
    // gantry_stack has no such attribute and leaves the integration set with the CLI alone.
    ...(c.vcs_integration_id !== undefined ? { vcsIntegrationId: c.vcs_integration_id as string | null } : {}),
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
    manage_state: attr.bool({ optional: true, computed: true, useStateForUnknown: true, description: "default: true for terraform stacks, false for kubernetes and ansible ones" }),
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
    kubernetes: block.single({
      namespace: attr.string({ optional: true, default: "", description: "namespace for objects that name none; empty: the kubeconfig's" }),
      kubectl_version: attr.string({ optional: true, description: "exact kubectl version the worker must run" }),
    }, { description: "makes this a Kubernetes stack (kubectl)" }),
    ansible: block.single({ playbook: attr.string({ required: true, description: "playbook file relative to the project root" }) }, { description: "makes this an Ansible stack (ansible-playbook)" }),
    pulumi: block.single({ login_url: attr.string({ required: true }), stack_name: attr.string({ required: true }) }, { description: "Pulumi stacks are refused by the server until workers carry the Pulumi CLI (docs/vendors.md)" }),
    cloudformation: block.single({
      entry_template_file: attr.string({ required: true }), region: attr.string({ required: true }), stack_name: attr.string({ required: true }), template_bucket: attr.string({ required: true }),
    }, { description: "CloudFormation stacks are refused by the server until workers have an AWS account for it (docs/vendors.md)" }),
  },
  async create({ planned, config, client }) {
    const s = await call(client, "createStack", { body: { ...(config.slug ? { id: config.slug } : {}), name: planned.name, ...settings({ ...planned, manage_state: config.manage_state }) } }, fields, { forbiddenAt: "space_id" });
    return fromApi(s);
  },
  async read({ state, client }) {
    const s = await callOrNull(client, "getStack", { params: { id: idOf(state) } });
    return s && fromApi(s);
  },
  async update({ prior, planned, config, client }) {
    const s = await call(client, "updateStack", { params: { id: idOf(prior) }, body: { name: planned.name, ...settings({ ...planned, manage_state: config.manage_state }) } }, fields, { forbiddenAt: "space_id" });
    return fromApi(s);
  },
  async delete({ state, client }) {
    await call(client, "deleteStack", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});
