/**
 * The infrastructure repository of the administrative-stacks acceptance test, laid out like the
 * seed's: a management root module that turns every `environments/<name>/config.yaml` into a
 * stack (fileset + yamldecode), the space tree, policies from `policies/*.rego` with autoattach
 * labels, a context with variables per environment, and the code those stacks run.
 */

/** The management stack's root module (project root `spacelift/management`). */
export const managementModule = `
terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}

provider "gantry" {}

# The management stack's own settings: the stacks it creates track the same repository.
data "gantry_current_stack" "this" {}
data "gantry_stack" "this" {
  stack_id = data.gantry_current_stack.this.id
}

locals {
  repo_root    = "\${path.module}/../.."
  environments = { for f in fileset("\${local.repo_root}/environments", "*/config.yaml") : dirname(f) => yamldecode(file("\${local.repo_root}/environments/\${f}")) }
  policy_files = { for f in fileset("\${local.repo_root}/policies", "*.rego") : trimsuffix(f, ".rego") => f }
  policy_meta  = yamldecode(file("\${local.repo_root}/policies/policies.yaml"))
  space_ids = merge(
    { for k, s in gantry_space.top : k => s.id },
    { for k, s in gantry_space.security : "security/\${k}" => s.id },
  )
  variables = merge([
    for env, cfg in local.environments : { for name, value in try(cfg.variables, {}) : "\${env}/\${name}" => { env = env, name = name, value = value } }
  ]...)
}

resource "gantry_space" "top" {
  for_each         = toset(["platform", "sandbox", "staging", "prod", "security"])
  slug             = each.key
  name             = each.key
  parent_space_id  = "root"
  inherit_entities = true
}

resource "gantry_space" "security" {
  for_each         = toset(["audit", "log-archive"])
  slug             = "security-\${each.key}"
  name             = each.key
  parent_space_id  = gantry_space.top["security"].id
  inherit_entities = true
}

resource "gantry_policy" "this" {
  for_each = local.policy_files
  slug     = each.key
  name     = each.key
  type     = local.policy_meta[each.key].type
  labels   = local.policy_meta[each.key].labels
  body     = file("\${local.repo_root}/policies/\${each.value}")
}

resource "gantry_stack" "env" {
  for_each              = local.environments
  slug                  = each.key
  name                  = each.value.name
  space_id              = local.space_ids[each.value.space]
  repository            = data.gantry_stack.this.repository
  branch                = data.gantry_stack.this.branch
  project_root          = each.value.project_root
  labels                = each.value.labels
  autodeploy            = try(each.value.autodeploy, false)
  protect_from_deletion = try(each.value.protect_from_deletion, false)
}

resource "gantry_context" "env" {
  for_each = local.environments
  slug     = "\${each.key}-settings"
  name     = "\${each.key} settings"
  space_id = gantry_stack.env[each.key].space_id
}

resource "gantry_environment_variable" "env" {
  for_each   = local.variables
  context_id = gantry_context.env[each.value.env].id
  name       = each.value.name
  value      = each.value.value
  write_only = false
}

resource "gantry_context_attachment" "env" {
  for_each   = local.environments
  context_id = gantry_context.env[each.key].id
  stack_id   = gantry_stack.env[each.key].id
}

# Environments whose config asks for it get their first run once their settings are in place.
resource "gantry_run" "first" {
  for_each   = { for k, v in local.environments : k => v if try(v.first_run, false) }
  stack_id   = gantry_stack.env[each.key].id
  keepers    = { stack = gantry_stack.env[each.key].id }
  depends_on = [gantry_context_attachment.env, gantry_environment_variable.env]
}

output "stacks" {
  value = sort([for s in gantry_stack.env : s.id])
}
`;

/** What every environment stack runs (no provider: terraform_data only). */
export const environmentModule = `
variable "environment" {
  type = string
}
resource "terraform_data" "environment" {
  input = var.environment
}
output "environment" {
  value = terraform_data.environment.output
}
`;

export interface EnvironmentConfig {
  name: string;
  space: string;
  labels: string[];
  autodeploy?: boolean;
  protect_from_deletion?: boolean;
  first_run?: boolean;
  variables?: Record<string, string>;
}

/** YAML for one config.yaml (written by hand: the values are simple). */
export function configYaml(c: EnvironmentConfig): string {
  const lines = [`name: ${c.name}`, `space: ${c.space}`, "project_root: stacks/app", "labels:", ...c.labels.map((l) => `  - "${l}"`)];
  if (c.autodeploy !== undefined) lines.push(`autodeploy: ${c.autodeploy}`);
  if (c.protect_from_deletion !== undefined) lines.push(`protect_from_deletion: ${c.protect_from_deletion}`);
  if (c.first_run !== undefined) lines.push(`first_run: ${c.first_run}`);
  if (c.variables) lines.push("variables:", ...Object.entries(c.variables).map(([k, v]) => `  ${k}: "${v}"`));
  return lines.join("\n") + "\n";
}

/** The six environments of the initial commit. */
export const environments: Record<string, EnvironmentConfig> = {
  "app-dev": { name: "app dev", space: "sandbox", labels: ["team:app", "env:dev"], autodeploy: true, first_run: true, variables: { TF_VAR_environment: "dev", REGION: "eu-west-1" } },
  "app-qa": { name: "app qa", space: "sandbox", labels: ["team:app", "env:qa"], variables: { TF_VAR_environment: "qa" } },
  "app-staging": { name: "app staging", space: "staging", labels: ["team:app", "env:staging"], autodeploy: true, variables: { TF_VAR_environment: "staging" } },
  "app-prod-eu": { name: "app prod eu", space: "prod", labels: ["team:app", "env:prod"], variables: { TF_VAR_environment: "prod-eu" } },
  "app-prod-us": { name: "app prod us", space: "prod", labels: ["team:app", "env:prod"], protect_from_deletion: true, variables: { TF_VAR_environment: "prod-us" } },
  "audit-trail": { name: "audit trail", space: "security/audit", labels: ["team:security", "env:prod"], variables: { TF_VAR_environment: "audit" } },
};

/** Policies: a plan policy for prod stacks and the approval policy that avoids the approval loop. */
export const policies: Record<string, string> = {
  "policies/plan-prod-no-deletes.rego": `package spacelift

deny contains msg if {
  some rc in input.terraform.resource_changes
  "delete" in rc.change.actions
  msg := sprintf("%s would be deleted: prod stacks never delete resources", [rc.address])
}
`,
  "policies/approval-reviewed.rego": `package spacelift

# Administrative stacks are what create the stacks and policies a review would need, so waiting
# for a review there is the approval loop: they are approved by their own kind.
approve if input.stack.administrative

approve if count(input.reviews.current.approvals) > 0

reject if count(input.reviews.current.rejections) > 0
`,
  "policies/policies.yaml": `plan-prod-no-deletes:
  type: PLAN
  labels: ["autoattach:env:prod"]
approval-reviewed:
  type: APPROVAL
  labels: ["autoattach:needs-review"]
`,
};

/** Every file of the initial commit. */
export function initialFiles(): Record<string, string> {
  const files: Record<string, string> = { "spacelift/management/main.tf": managementModule, "stacks/app/main.tf": environmentModule, ...policies };
  for (const [dir, c] of Object.entries(environments)) files[`environments/${dir}/config.yaml`] = configYaml(c);
  return files;
}

/**
 * An administrative stack's code that reaches outside its space (it lives in `sandbox`): one
 * space inside its subtree, then a space under root and a stack in `prod`.
 */
export const escapeModule = `
terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}

provider "gantry" {}

resource "gantry_space" "inside" {
  slug            = "sandbox-team"
  name            = "sandbox team"
  parent_space_id = "sandbox"
}

resource "gantry_space" "escape" {
  slug            = "escape"
  name            = "escape"
  parent_space_id = "root"
}

resource "gantry_stack" "escape" {
  slug       = "escape-stack"
  name       = "escape"
  space_id   = "prod"
  repository = "/srv/elsewhere.git"
}
`;

/** An administrative stack in `platform` that adds one space below it. */
export const platformModule = `
terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}

provider "gantry" {}

resource "gantry_space" "apps" {
  slug            = "platform-apps"
  name            = "apps"
  parent_space_id = "platform"
}
`;
