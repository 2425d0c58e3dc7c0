import type { Module } from "@gantry/contract";
import { attr, block, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf, sorted } from "../api.js";
import { kit } from "../kit.js";

type Config = Record<string, unknown> & { name: string; github_enterprise?: { namespace?: string | null } | null };

/**
 * The registry namespace: `namespace`, else the `github_enterprise` block's namespace (the
 * blog's wrapper module sets only that: in Spacelift the registry namespace is the account,
 * which organizations usually name like their GitHub org), else Gantry's default.
 */
const namespaceOf = (c: Config) => (c.namespace as string | null) ?? c.github_enterprise?.namespace ?? undefined;

const fromApi = (m: Module) => ({
  id: m.id, slug: m.id, name: m.name, terraform_provider: m.terraformProvider, description: m.description, repository: m.repository,
  branch: m.branch, project_root: m.projectRoot, space_id: m.spaceId, labels: sorted(m.labels), shared_with: sorted(m.sharedWith),
  worker_pool_id: m.workerPoolId, protect_from_deletion: m.protectFromDeletion, trigger_consumers: m.triggerConsumers, source: m.source,
  namespace: m.namespace, offer_failed_versions: m.offerFailedVersions,
});

function settings(c: Config) {
  return {
    description: c.description as string, repository: c.repository as string, branch: c.branch as string, projectRoot: c.project_root as string,
    spaceId: c.space_id as string, labels: c.labels as string[], sharedWith: c.shared_with as string[], workerPoolId: (c.worker_pool_id as string | null) ?? null,
    protectFromDeletion: c.protect_from_deletion as boolean, triggerConsumers: c.trigger_consumers as "NONE" | "PROPOSED" | "TRACKED",
    offerFailedVersions: c.offer_failed_versions as boolean,
  };
}

const fields = { id: "slug", terraformProvider: "terraform_provider" };

/** `gantry_module`: a module of the private registry (Spacelift's `spacelift_module`). */
export const module = kit.resource({
  description: "A module of Gantry's private registry. Creating it publishes the semver tags already on its branch.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "explicit id; defaults to terraform-<provider>-<name>" }),
    name: attr.string({ required: true, requiresReplace: true }),
    terraform_provider: attr.string({ optional: true, default: "aws", requiresReplace: true }),
    namespace: attr.string({ optional: true, computed: true, description: "registry namespace (organization) in source addresses; default: the github_enterprise block's namespace, else gantry" }),
    description: attr.string({ optional: true, default: "" }),
    repository: attr.string({ required: true, description: "git URL or local path of the repository" }),
    branch: attr.string({ optional: true, default: "main" }),
    project_root: attr.string({ optional: true, default: "" }),
    space_id: attr.string({ optional: true, default: "root" }),
    labels: attr.set(t.string, { optional: true, default: [] }),
    shared_with: attr.set(t.string, { optional: true, default: [], description: "further spaces whose stacks may use the module" }),
    worker_pool_id: attr.string({ optional: true, description: "worker pool that runs the module's test cases (default: the built-in pool)" }),
    offer_failed_versions: attr.bool({ optional: true, default: false, description: "offer versions whose test cases failed to terraform anyway" }),
    protect_from_deletion: attr.bool({ optional: true, default: false }),
    trigger_consumers: attr.string({
      optional: true, default: "NONE", description: "on publish, queue PROPOSED or TRACKED runs of every consumer whose constraint admits the new version",
      validate: (v) => (["NONE", "PROPOSED", "TRACKED"].includes(v) ? undefined : `must be NONE, PROPOSED or TRACKED, not ${JSON.stringify(v)}`),
    }),
    source: attr.string({ computed: true, useStateForUnknown: true, description: "the address to write in a module block's source" }),
    github_enterprise: block.single({ namespace: attr.string({ required: true }), id: attr.string({ optional: true, description: "not used: Gantry reads the repository by URL or path" }) }),
  },
  async create({ planned, config, client }) {
    const ns = namespaceOf(config as Config);
    const m = await call(client, "createModule", {
      body: { ...(config.slug ? { id: config.slug } : {}), name: planned.name, terraformProvider: planned.terraform_provider, ...(ns ? { namespace: ns } : {}), ...settings(planned as Config) },
    }, fields, { forbiddenAt: "space_id" });
    return fromApi(m);
  },
  async read({ state, client }) {
    const m = await callOrNull(client, "getModule", { params: { id: idOf(state) } });
    return m && fromApi(m);
  },
  async update({ prior, planned, config, client }) {
    const ns = namespaceOf(config as Config);
    const m = await call(client, "updateModule", { params: { id: idOf(prior) }, body: { ...(ns ? { namespace: ns } : {}), ...settings(planned as Config) } }, fields, { forbiddenAt: "space_id" });
    return fromApi(m);
  },
  async delete({ state, client }) {
    await call(client, "deleteModule", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});
