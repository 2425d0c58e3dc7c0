import { attr, isUnknown, t, type Diagnostics } from "@gantry/tfplugin";
import { module as gantryModule } from "../gantry/resources/module.js";
import { alias } from "./alias.js";
import type { Unsupported } from "./ignored.js";
import { gantryRepository, spaceliftRepository, vcsBlocks, warnVcsBlocks } from "./vcs.js";

const unsupported: Record<string, Unsupported> = {
  administrative: { effect: "refuse", unless: false, why: "Gantry modules cannot manage Gantry: use an administrative stack." },
  enable_local_preview: { effect: "warn", unless: false, why: "Gantry publishes module versions from git tags; there are no local preview versions." },
  git_sparse_checkout_paths: { effect: "warn", why: "Gantry checks out the whole repository." },
  public: { effect: "refuse", unless: false, why: "Gantry's registry serves modules to its own stacks and users only (docs/registry.md)." },
  runner_image: { effect: "warn", why: "Gantry workers run terraform on the worker host, not in a container image." },
  shared_accounts: { effect: "refuse", why: "a Gantry installation is one account: share the module with spaces through space_shares." },
  workflow_tool: { effect: "warn", unless: "TERRAFORM_FOSS", why: "module versions are published from git tags without running a tool." },
};

/** Spacelift's naming convention: a repository `terraform-<provider>-<name>` names the module. */
export function conventionalName(repository: string): { provider: string; name: string } | undefined {
  const last = repository.replace(/\/+$/, "").replace(/\.git$/, "").split(/[/:]/).at(-1) ?? "";
  const m = /^terraform-([a-z0-9]+)-(.+)$/.exec(last);
  return m ? { provider: m[1]!, name: m[2]! } : undefined;
}

const given = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);

/** Refuses a module whose name or provider is neither set nor given by the repository's name. */
function validateNaming(config: Record<string, unknown>, diagnostics: Diagnostics, typeName: string) {
  if (!given(config.repository) || conventionalName(config.repository)) return;
  for (const field of ["name", "terraform_provider"]) {
    if (config[field] === null || config[field] === undefined) {
      diagnostics.error(`${typeName}: ${field} is required here`, `the repository is not named terraform-<provider>-<name>, so ${field} cannot be inferred from it: set ${field}`, [field]);
    }
  }
}

/**
 * `spacelift_module`: Gantry's registry module under Spacelift's names. `space_shares` is
 * Gantry's `shared_with`; the `github_enterprise` namespace is the registry namespace, as Gantry's
 * own resource already does.
 */
export const spaceliftModule = alias(gantryModule, {
  omit: ["github_enterprise", "shared_with"],
  fields: {
    name: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "default: <name> of a repository named terraform-<provider>-<name>" }),
    terraform_provider: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "default: <provider> of a repository named terraform-<provider>-<name>" }),
    space_shares: attr.set(t.string, { optional: true, default: [], description: "further spaces whose stacks may use the module" }),
    aws_assume_role_policy_statement: attr.string({ computed: true, description: "empty: Gantry runs assume roles with a web identity token" }),
    administrative: attr.bool({ optional: true }),
    enable_local_preview: attr.bool({ optional: true }),
    git_sparse_checkout_paths: attr.set(t.string, { optional: true }),
    public: attr.bool({ optional: true }),
    runner_image: attr.string({ optional: true }),
    shared_accounts: attr.set(t.string, { optional: true }),
    workflow_tool: attr.string({ optional: true }),
    ...vcsBlocks,
  },
  unsupported,
  validate(config, diagnostics, typeName) {
    warnVcsBlocks(config, diagnostics, typeName);
    validateNaming(config, diagnostics, typeName);
  },
  async toGantry(v, { client, write }) {
    const gh = Array.isArray(v.github_enterprise) ? (v.github_enterprise[0] as Record<string, unknown> | undefined) : undefined;
    const convention = given(v.repository) ? conventionalName(v.repository) : undefined;
    return {
      ...v,
      name: given(v.name) ? v.name : (convention?.name ?? v.name),
      terraform_provider: given(v.terraform_provider) ? v.terraform_provider : (convention?.provider ?? v.terraform_provider),
      shared_with: v.space_shares ?? [],
      github_enterprise: gh ?? null,
      ...(write && typeof v.repository === "string" ? { repository: (await gantryRepository(v, client)).repository } : {}),
    };
  },
  fromGantry: (state, spacelift) => {
    const { shared_with, repository, github_enterprise: _single, ...rest } = state;
    return {
      ...rest,
      ...(shared_with !== undefined ? { space_shares: shared_with } : {}),
      ...(typeof repository === "string" ? { repository: spaceliftRepository(repository, spacelift.repository) } : {}),
      aws_assume_role_policy_statement: "",
    };
  },
});
