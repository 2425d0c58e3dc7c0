/**
 * Gantry's provider under Spacelift's source address and names (issue #21), with the REAL
 * terraform installing `spacelift-io/spacelift` offline from a filesystem mirror and talking to
 * a real Gantry server. Everything it creates is checked through Gantry's API; what Gantry cannot
 * honour must show as a plan warning or error.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWorker } from "@gantry/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";
import { makeRepo, runLog, waitForRun } from "../../apps/worker/test/fixtures.js";
import { spaceliftProviderWorkspace, terraform } from "./terraform.js";

const required = `terraform {
  required_providers {
    spacelift = {
      source  = "spacelift-io/spacelift"
      version = "~> 1.0"
    }
  }
}
`;

describe("spacelift-io/spacelift served by Gantry, with real terraform", () => {
  let t: TestServer;
  let dir: string;
  let work: string;
  let cli: Record<string, string>;
  let keyId: string;
  let keySecret: string;
  const write = (hcl: string) => writeFileSync(join(work, "main.tf"), required + hcl);

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    ({ dir, work, env: cli } = await spaceliftProviderWorkspace("gantry-spacelift-provider-"));
    const key = /^gnt_([0-9A-Za-z]+)_(.+)$/.exec(t.adminKey)!;
    keyId = key[1]!;
    keySecret = key[2]!;
    await t.admin.call("createVcsIntegration", { body: { id: "github", name: "github", provider: "GITHUB", apiBaseUrl: "https://github.example.com/api/v3", webhookSecret: "hook-secret" } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("manages Gantry with Spacelift's resource names, maps VCS blocks, warns about what it ignores and plans no diff afterwards", async () => {
    const env = { ...cli, SPACELIFT_STACK_ID: "raw" };
    const tf = (args: string[]) => terraform(work, args, env);
    write(`
provider "spacelift" {
  api_key_endpoint = "${t.url}"
  api_key_id       = "${keyId}"
  api_key_secret   = "${keySecret}"
}
resource "spacelift_space" "prod" {
  name             = "prod"
  parent_space_id  = "root"
  inherit_entities = true
}
resource "spacelift_stack" "app" {
  name                 = "app"
  repository           = "infra"
  branch               = "main"
  project_root         = "projects/app"
  space_id             = spacelift_space.prod.id
  terraform_version    = "1.7.0"
  enable_local_preview = true
  runner_image         = "public.ecr.aws/spacelift/runner-terraform:latest"
  labels               = ["team:app"]
  github_enterprise {
    namespace = "acme"
  }
}
resource "spacelift_stack" "raw" {
  name       = "raw"
  repository = "raw"
  branch     = "main"
  raw_git {
    namespace = "ours"
    url       = "https://git.example.com/ours/raw.git"
  }
}
resource "spacelift_stack" "lab" {
  name       = "lab"
  repository = "https://gitlab.example.com/acme/lab.git"
  branch     = "main"
  gitlab {
    namespace = "acme"
  }
}
resource "spacelift_context" "shared" {
  name     = "shared"
  space_id = spacelift_space.prod.id
  labels   = ["autoattach:team:app"]
}
resource "spacelift_environment_variable" "region" {
  context_id = spacelift_context.shared.id
  name       = "AWS_DEFAULT_REGION"
  value      = "eu-west-1"
  write_only = false
}
resource "spacelift_mounted_file" "cfg" {
  stack_id      = spacelift_stack.app.id
  relative_path = "app.json"
  content       = base64encode("{}")
}
resource "spacelift_policy" "v0" {
  name = "old style"
  type = "PLAN"
  body = "package spacelift\\n\\ndeny[msg] {\\n  input.never\\n  msg := \\"never\\"\\n}\\n"
  engine_type = "REGO_V0"
  labels = ["autoattach:team:app"]
}
resource "spacelift_policy" "v1" {
  name = "new style"
  type = "APPROVAL"
  body = "package spacelift\\n\\napprove if true\\n"
}
resource "spacelift_policy_attachment" "v1" {
  policy_id = spacelift_policy.v1.id
  stack_id  = spacelift_stack.app.id
}
resource "spacelift_aws_integration" "main" {
  name     = "aws-main"
  role_arn = "arn:aws:iam::123456789012:role/gantry"
  space_id = "root"
  labels   = ["autoattach:aws"]
}
resource "spacelift_aws_integration_attachment" "app" {
  integration_id = spacelift_aws_integration.main.id
  stack_id       = spacelift_stack.app.id
}
resource "spacelift_worker_pool" "pool" {
  name = "pool"
}
resource "spacelift_drift_detection" "app" {
  stack_id  = spacelift_stack.app.id
  schedule  = ["0 * * * *"]
  reconcile = true
}
resource "spacelift_stack_dependency" "raw_on_app" {
  stack_id            = spacelift_stack.raw.id
  depends_on_stack_id = spacelift_stack.app.id
}
resource "spacelift_stack_destructor" "lab" {
  stack_id    = spacelift_stack.lab.id
  deactivated = true
}
data "spacelift_current_stack" "this" {}
data "spacelift_stack" "app" {
  stack_id = spacelift_stack.app.id
}
data "spacelift_current_space" "this" {
  depends_on = [spacelift_stack.raw]
}
data "spacelift_context" "shared" {
  context_id = spacelift_context.shared.id
}
data "spacelift_policy" "v0" {
  policy_id = spacelift_policy.v0.id
}
data "spacelift_aws_integration" "main" {
  name       = "aws-main"
  depends_on = [spacelift_aws_integration.main]
}
data "spacelift_worker_pool" "pool" {
  worker_pool_id = spacelift_worker_pool.pool.id
}
output "current" { value = data.spacelift_current_stack.this.id }
output "current_space" { value = data.spacelift_current_space.this.id }
output "looked_up" { value = [data.spacelift_context.shared.labels, data.spacelift_policy.v0.engine_type, data.spacelift_aws_integration.main.role_arn, data.spacelift_worker_pool.pool.name] }
output "app_repository" { value = data.spacelift_stack.app.repository }
output "integration" { value = spacelift_aws_integration_attachment.app.attachment_id }
`);
    const init = await tf(["init"]);
    expect(init.code, init.out).toBe(0);
    expect(init.out).toContain("Installed spacelift-io/spacelift v1.53.5");

    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    // What Gantry cannot honour is said in the plan, on the attribute's line.
    expect(apply.out).toMatch(/Warning: spacelift_stack: runner_image is ignored by Gantry[\s\S]*not in a per-stack container\s+image/);
    expect(apply.out).toMatch(/Warning: spacelift_stack: the gitlab block is ignored by Gantry[\s\S]*Gantry has no GitLab integration/);
    // Spacelift's space ids are the name and a unique suffix; Gantry's are too.
    const prod = (await t.admin.call("listSpaces", { query: {} })).items.find((s) => s.name === "prod")!;
    expect(prod).toMatchObject({ id: expect.stringMatching(/^prod-/), parentSpaceId: "root", inheritEntities: true });
    expect(apply.out).toContain('current = "raw"');
    expect(apply.out).toContain('current_space = "root"');
    expect(apply.out).toMatch(/looked_up = \[\s+toset\(\[\s+"autoattach:team:app",\s+\]\),\s+"REGO_V0",\s+"arn:aws:iam::123456789012:role\/gantry",\s+"pool",\s+\]/);
    expect(apply.out).toContain('app_repository = "https://github.example.com/acme/infra"');

    // namespace + repository name -> a URL through the GitHub integration; raw_git's URL.
    expect(await t.admin.call("getStack", { params: { id: "app" } })).toMatchObject({
      repository: "https://github.example.com/acme/infra", vcsIntegrationId: "github", spaceId: prod.id, terraformVersion: "1.7.0", enableLocalPreview: true, smartSanitization: false, labels: ["team:app"],
    });
    expect(await t.admin.call("getStack", { params: { id: "raw" } })).toMatchObject({ repository: "https://git.example.com/ours/raw.git", vcsIntegrationId: null });
    expect((await t.admin.call("getPolicy", { params: { id: "old-style" } })).regoVersion).toBe("V0");
    expect((await t.admin.call("getAwsIntegration", { params: { id: "aws-main" } })).durationSeconds).toBe(900);
    const explained = await t.admin.call("explainStack", { params: { id: "app" } });
    expect(explained.contexts.map((c) => [c.id, c.reasons[0]?.kind])).toEqual([["shared", "label"]]);
    expect(explained.policies.map((p) => [p.id, p.reasons[0]?.kind]).sort()).toEqual([["new-style", "direct"], ["old-style", "label"]]);
    expect((await t.admin.call("contextConfig", { params: { id: "shared" } })).variables).toMatchObject([{ name: "AWS_DEFAULT_REGION", value: "eu-west-1", writeOnly: false }]);
    const state = JSON.parse((await tf(["show", "-json"])).out) as { values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } } };
    const pool = state.values.root_module.resources.find((r) => r.address === "spacelift_worker_pool.pool")!;
    expect(String(pool.values.config)).toMatch(/^gwp_/);
    const v0 = state.values.root_module.resources.find((r) => r.address === "spacelift_policy.v0")!;
    expect(v0.values.engine_type).toBe("REGO_V0");

    // Spacelift's names in state match what Gantry stores: no diff on the next plan.
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);

    // The destructor is deactivated: destroying it destroys nothing, then the stacks go.
    const destroy = await tf(["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
    expect((await t.admin.call("listStacks", { query: {} })).items).toEqual([]);
  }, 300_000);

  it("authenticates from Spacelift's environment variables with an unchanged provider block", async () => {
    write(`provider "spacelift" {}\ndata "spacelift_spaces" "all" {}\noutput "spaces" { value = length(data.spacelift_spaces.all.spaces) }\n`);
    // Idempotent; this case may run alone (vitest -t).
    expect((await terraform(work, ["init"], cli)).code).toBe(0);
    const token = await terraform(work, ["apply", "-auto-approve"], { ...cli, SPACELIFT_API_KEY_ENDPOINT: t.url, SPACELIFT_API_TOKEN: t.adminKey });
    expect(token.code, token.out).toBe(0);
    expect(token.out).toMatch(/spaces = [1-9]/);
    const key = await terraform(work, ["apply", "-auto-approve"], { ...cli, SPACELIFT_API_KEY_ENDPOINT: t.url, SPACELIFT_API_KEY_ID: keyId, SPACELIFT_API_KEY_SECRET: keySecret });
    expect(key.code, key.out).toBe(0);

    const none = await terraform(work, ["plan"], cli);
    expect(none.code).toBe(1);
    expect(none.out).toContain("missing Gantry API endpoint");
    const half = await terraform(work, ["plan"], { ...cli, SPACELIFT_API_KEY_ENDPOINT: t.url, SPACELIFT_API_KEY_ID: keyId });
    expect(half.code).toBe(1);
    expect(half.out).toContain("incomplete API key: api_key_secret is missing");
    const wrong = await terraform(work, ["plan"], { ...cli, SPACELIFT_API_KEY_ENDPOINT: t.url, SPACELIFT_API_KEY_ID: keyId, SPACELIFT_API_KEY_SECRET: "x".repeat(43) });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/token is not valid/);
  }, 120_000);

  it("refuses what cannot take effect, with what to do instead", async () => {
    const env = { ...cli, SPACELIFT_API_KEY_ENDPOINT: t.url, SPACELIFT_API_TOKEN: t.adminKey };
    write(`provider "spacelift" {}
resource "spacelift_stack" "imported" {
  name         = "imported"
  repository   = "https://git.example.com/a/b.git"
  branch       = "main"
  import_state = "{}"
}
resource "spacelift_policy_attachment" "module" {
  policy_id = "p"
  module_id = "m"
}
resource "spacelift_module" "unnamed" {
  repository = "https://git.example.com/acme/network.git"
  branch     = "main"
}
`);
    expect((await terraform(work, ["init"], env)).code).toBe(0);
    const refused = await terraform(work, ["plan"], env);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/spacelift_stack: import_state is not supported by Gantry yet[\s\S]*gantry stack state import/);
    expect(refused.out).toMatch(/spacelift_policy_attachment: module_id is not supported by Gantry yet[\s\S]*autoattach:/);
    expect(refused.out).toMatch(/spacelift_module: name is required here[\s\S]*not named terraform-<provider>-<name>/);

    write(`provider "spacelift" {}
resource "spacelift_stack" "nameonly" {
  name       = "nameonly"
  repository = "infra"
  branch     = "main"
}
`);
    const unmapped = await terraform(work, ["apply", "-auto-approve"], env);
    expect(unmapped.code).toBe(1);
    expect(unmapped.out).toContain('repository "infra" is a name, and Gantry cannot tell where it lives');
    expect(unmapped.out).toContain("github_enterprise");
    expect((await t.admin.call("listStacks", { query: {} })).items).toEqual([]);
  }, 120_000);

  it("spacelift_stack_destructor destroys the stack's resources with a DESTROY run before the stack goes", async () => {
    const env = { ...cli, SPACELIFT_API_KEY_ENDPOINT: t.url, SPACELIFT_API_TOKEN: t.adminKey };
    const repo = makeRepo();
    const worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 1, workDir: join(dir, "worker"), claimWaitMs: 2000 });
    try {
      await worker.ready;
      write(`provider "spacelift" {}
resource "spacelift_stack" "target" {
  name       = "target"
  repository = "${repo.path}"
  branch     = "main"
  autodeploy = true
}
resource "spacelift_run" "first" {
  stack_id = spacelift_stack.target.id
}
resource "spacelift_stack_destructor" "target" {
  stack_id = spacelift_stack.target.id
}
`);
      expect((await terraform(work, ["init"], env)).code).toBe(0);
      const apply = await terraform(work, ["apply", "-auto-approve"], env);
      expect(apply.code, apply.out).toBe(0);
      const first = (await t.admin.call("listStackRuns", { params: { id: "target" }, query: {} })).items[0]!;
      const applied = await waitForRun(t.admin, first.id, undefined, 180_000);
      expect(applied.state, await runLog(t.admin, applied.id)).toBe("FINISHED");
      expect((await t.admin.call("stackResources", { params: { id: "target" } })).resources.map((r) => r.address)).toEqual(["terraform_data.greeting"]);

      // Destroying the destructor alone (it is what a full destroy does first): a DESTROY run empties the stack's state.
      const destructed = await terraform(work, ["destroy", "-auto-approve", "-target=spacelift_stack_destructor.target"], env);
      expect(destructed.code, destructed.out).toBe(0);
      const runs = (await t.admin.call("listStackRuns", { params: { id: "target" }, query: {} })).items;
      expect(runs.map((r) => [r.type, r.state])).toEqual([["DESTROY", "FINISHED"], ["TRACKED", "FINISHED"]]);
      expect((await t.admin.call("stackResources", { params: { id: "target" } })).resources).toEqual([]);

      const destroy = await terraform(work, ["destroy", "-auto-approve"], env);
      expect(destroy.code, destroy.out).toBe(0);
      expect((await t.admin.call("listStacks", { query: {} })).items.map((s) => s.id)).not.toContain("target");
    } finally {
      await worker.stop();
    }
  }, 400_000);

  it("infers a module's name and provider from a terraform-<provider>-<name> repository, as Spacelift does", async () => {
    const env = { ...cli, SPACELIFT_API_KEY_ENDPOINT: t.url, SPACELIFT_API_TOKEN: t.adminKey };
    const repo = makeRepo({ "main.tf": 'variable "cidr" {\n  type = string\n}\n' });
    const conventional = join(dir, "terraform-aws-network");
    renameSync(repo.path, conventional);
    write(`provider "spacelift" {}
resource "spacelift_module" "network" {
  repository = "${conventional}"
  branch     = "main"
}
output "module" { value = [spacelift_module.network.name, spacelift_module.network.terraform_provider] }
`);
    expect((await terraform(work, ["init"], env)).code).toBe(0);
    const apply = await terraform(work, ["apply", "-auto-approve"], env);
    expect(apply.code, apply.out).toBe(0);
    expect((await t.admin.call("listModules", { query: {} })).items).toMatchObject([{ name: "network", terraformProvider: "aws", repository: conventional }]);
    expect((await terraform(work, ["plan", "-detailed-exitcode"], env)).code).toBe(0);
    expect((await terraform(work, ["destroy", "-auto-approve"], env)).code).toBe(0);
  }, 120_000);
});
