import { attr, block, t } from "@gantry/tfplugin";
import { stack as gantryStack } from "../gantry/resources/stack.js";
import { alias } from "./alias.js";
import type { Unsupported } from "./ignored.js";
import { gantryRepository, spaceliftRepository, vcsBlocks, warnVcsBlocks } from "./vcs.js";

/** Spacelift stack settings Gantry accepts but cannot honour, with what the plan says about them. */
const unsupported: Record<string, Unsupported> = {
  allow_run_promotion: { effect: "warn", unless: true, why: "Gantry has no run promotion switch: a proposed run cannot be promoted, trigger a tracked run instead." },
  github_action_deploy: { effect: "warn", unless: true, why: "Gantry has no run promotion switch (Spacelift deprecated this for allow_run_promotion)." },
  enable_sensitive_outputs_upload: { effect: "warn", unless: true, why: "Gantry keeps outputs in the managed state it stores; there is no separate upload to switch off." },
  enable_well_known_secret_masking: { effect: "warn", unless: false, why: "Gantry masks the values of secret (write-only) variables and the run's credentials in logs, not well-known secret patterns." },
  git_sparse_checkout_paths: { effect: "warn", why: "Gantry checks out the whole repository (from a per-worker mirror)." },
  runner_image: { effect: "warn", why: "Gantry workers run terraform on the worker host, not in a per-stack container image." },
  terraform_external_state_access: { effect: "warn", unless: false, why: "Gantry's state backend is reached by runs of the stack itself; other stacks use stack dependencies with output references." },
  terraform_workspace: { effect: "refuse", why: "Gantry runs the default terraform workspace; a stack per workspace keeps the same effect." },
  import_state: { effect: "refuse", why: "upload the state with `gantry stack state import <stack> <file>` after creating the stack." },
  import_state_file: { effect: "refuse", why: "upload the state with `gantry stack state import <stack> <file>` after creating the stack." },
  terragrunt: { effect: "refuse", why: "Terragrunt stacks are not supported yet (docs/vendors.md)." },
  opentofu: { effect: "refuse", why: "use terraform_workflow_tool = \"OPEN_TOFU\" and terraform_version instead of the opentofu block." },
  spacelift_repo: { effect: "refuse", why: "Gantry has no Spacelift Repos: set repository to the repository's clone URL." },
  showcase: { effect: "refuse", why: "showcase repositories are a Spacelift service: set repository to the repository's clone URL." },
};

const ignoredString = () => attr.string({ optional: true });
const ignoredBool = () => attr.bool({ optional: true });

/**
 * `spacelift_stack`: Gantry's stack under Spacelift's names. `repository` is Spacelift's name
 * without the owner (mapped to a URL through the VCS block) or any URL; smart sanitization is
 * Spacelift's `terraform_smart_sanitization` (default false, as there).
 */
export const spaceliftStack = alias(gantryStack, {
  omit: ["smart_sanitization"],
  fields: {
    terraform_smart_sanitization: attr.bool({ optional: true, default: false, description: "plan policies see only sensitive values hashed; false: every string value hashed" }),
    aws_assume_role_policy_statement: attr.string({ computed: true, description: "empty: Gantry's runs assume roles with a web identity token (docs/oidc.md)" }),
    allow_run_promotion: ignoredBool(),
    github_action_deploy: ignoredBool(),
    enable_sensitive_outputs_upload: ignoredBool(),
    enable_well_known_secret_masking: ignoredBool(),
    git_sparse_checkout_paths: attr.set(t.string, { optional: true }),
    runner_image: ignoredString(),
    terraform_external_state_access: ignoredBool(),
    terraform_workspace: ignoredString(),
    import_state: attr.string({ optional: true, sensitive: true }),
    import_state_file: ignoredString(),
    terragrunt: block.list({ terraform_version: ignoredString(), terragrunt_version: ignoredString(), tool: ignoredString(), use_run_all: ignoredBool(), use_smart_sanitization: ignoredBool(), use_state_management: ignoredBool() }, { maxItems: 1 }),
    opentofu: block.list({ version: ignoredString(), workflow_tool: ignoredString(), workspace: ignoredString(), use_smart_sanitization: ignoredBool(), external_state_access: ignoredBool() }, { maxItems: 1 }),
    spacelift_repo: block.list({}, { maxItems: 1 }),
    showcase: block.list({ namespace: attr.string({ required: true }) }, { maxItems: 1 }),
    ...vcsBlocks,
  },
  unsupported,
  validate: warnVcsBlocks,
  async toGantry(v, { client, write }) {
    const location = write && typeof v.repository === "string" ? await gantryRepository(v, client) : undefined;
    return {
      ...v,
      smart_sanitization: v.terraform_smart_sanitization ?? false,
      ...(location ? { repository: location.repository } : {}),
      ...(location?.vcsIntegrationId ? { vcs_integration_id: location.vcsIntegrationId } : {}),
    };
  },
  fromGantry: (state, spacelift) => {
    const { smart_sanitization, repository, ...rest } = state;
    return {
      ...rest,
      ...(smart_sanitization !== undefined ? { terraform_smart_sanitization: smart_sanitization } : {}),
      ...(typeof repository === "string" ? { repository: spaceliftRepository(repository, spacelift.repository) } : {}),
      aws_assume_role_policy_statement: "",
    };
  },
});
