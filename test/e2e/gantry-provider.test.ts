/**
 * terraform-provider-gantry end to end: the REAL terraform, the provider bundled as a binary
 * and installed from a filesystem mirror, against a real Gantry server. Everything it creates
 * is checked through the API.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gantryProviderWorkspace, terraform } from "./terraform.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";


/** A stack the API refuses (a branch name with a space) and a dependency on stacks that do not exist. */
const badStackAndDependency = `
resource "gantry_stack" "bad" {
  name       = "bad"
  repository = "/srv/git/infra.git"
  branch     = "has space"
}
resource "gantry_stack_dependency" "dep" {
  stack_id            = "a"
  depends_on_stack_id = "b"
}
`;

const header = `terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
provider "gantry" {}
`;

describe("terraform-provider-gantry with real terraform", () => {
  let t: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const tf = (args: string[]) => terraform(join(dir, "work"), args, env);
  const write = (hcl: string) => writeFileSync(join(dir, "work", "main.tf"), header + hcl);

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    ({ dir, env } = await gantryProviderWorkspace(t, "gantry-provider-"));
    mkdirSync(join(dir, "work", "policies"), { recursive: true });
    writeFileSync(join(dir, "work", "policies", "plan.rego"), "package spacelift\n\ndeny contains msg if {\n  false\n  msg := \"never\"\n}\n");
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates, updates, imports and destroys Gantry objects", async () => {
    write(`
resource "gantry_space" "prod" {
  slug             = "prod"
  name             = "prod"
  inherit_entities = true
  labels           = ["tier:prod"]
}
resource "gantry_worker_pool" "prod" {
  slug     = "prod-pool"
  name     = "prod pool"
  space_id = gantry_space.prod.id
}
resource "gantry_stack" "app" {
  slug                  = "app-prod"
  worker_pool_id        = gantry_worker_pool.prod.id
  name                  = "app prod"
  space_id              = gantry_space.prod.id
  repository            = "/srv/git/infra.git"
  project_root          = "projects/app/prod"
  labels                = ["team:app"]
  protect_from_deletion = false
  before_init           = ["echo hello"]
}
resource "gantry_context" "shared" {
  slug     = "shared"
  name     = "shared"
  space_id = gantry_space.prod.id
  labels   = ["autoattach:team:app"]
}
resource "gantry_environment_variable" "token" {
  context_id = gantry_context.shared.id
  name       = "DB_PASSWORD"
  value      = "s3cret-from-terraform"
}
resource "gantry_environment_variable" "region" {
  stack_id   = gantry_stack.app.id
  name       = "AWS_REGION"
  value      = "eu-west-1"
  write_only = false
}
resource "gantry_mounted_file" "cfg" {
  context_id    = gantry_context.shared.id
  relative_path = "config/app.json"
  content       = base64encode("{}")
}
resource "gantry_policy" "plan" {
  slug     = "plan-guard"
  name     = "plan guard"
  type     = "PLAN"
  body     = file("policies/plan.rego")
  space_id = gantry_space.prod.id
}
resource "gantry_policy_attachment" "plan" {
  policy_id = gantry_policy.plan.id
  stack_id  = gantry_stack.app.id
}
data "gantry_spaces" "all" {
  depends_on = [gantry_space.prod]
}
output "space_count" { value = length(data.gantry_spaces.all.spaces) }
`);
    const init = await tf(["init"]);
    expect(init.code, init.out).toBe(0);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain("Apply complete! Resources: 9 added");
    expect(apply.out).not.toContain("s3cret-from-terraform");

    const stack = await t.admin.call("getStack", { params: { id: "app-prod" } });
    expect(stack).toMatchObject({ spaceId: "prod", projectRoot: "projects/app/prod", labels: ["team:app"], hooks: { beforeInit: ["echo hello"] }, workerPoolId: "prod-pool" });
    const state = JSON.parse((await tf(["show", "-json"])).out) as { values: { root_module: { resources: { address: string; sensitive_values: Record<string, unknown>; values: Record<string, unknown> }[] } } };
    const pool = state.values.root_module.resources.find((r) => r.address === "gantry_worker_pool.prod")!;
    expect(String(pool.values.token)).toMatch(/^gwp_/);
    expect(pool.sensitive_values.token).toBe(true);
    const explain = await t.admin.call("explainStack", { params: { id: "app-prod" } });
    expect(explain.contexts.map((c) => [c.id, c.reasons[0]?.kind])).toEqual([["shared", "label"]]);
    expect(explain.policies.map((p) => [p.id, p.reasons[0]?.kind])).toEqual([["plan-guard", "direct"]]);
    const cfg = await t.admin.call("contextConfig", { params: { id: "shared" } });
    expect(cfg.variables).toMatchObject([{ name: "DB_PASSWORD", value: null, writeOnly: true }]);
    expect(cfg.files).toMatchObject([{ relativePath: "config/app.json", writeOnly: true }]);
    expect((await t.admin.call("getPolicy", { params: { id: "plan-guard" } })).body).toContain("deny contains msg");

    // No changes on a second plan: state and API agree.
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);

    // A change made outside Terraform shows as drift and is put back.
    await t.admin.call("updateStack", { params: { id: "app-prod" }, body: { labels: ["team:other"] } });
    const drift = await tf(["plan", "-detailed-exitcode"]);
    expect(drift.code, drift.out).toBe(2);
    expect(drift.out).toContain("team:other");
    expect((await tf(["apply", "-auto-approve"])).code).toBe(0);
    expect((await t.admin.call("getStack", { params: { id: "app-prod" } })).labels).toEqual(["team:app"]);

    // Import an object created through the API, then manage it.
    await t.admin.call("createContext", { body: { id: "imported", name: "imported", spaceId: "prod", labels: ["x"] } });
    writeFileSync(join(dir, "work", "imported.tf"), `resource "gantry_context" "imported" {\n  name     = "imported"\n  space_id = gantry_space.prod.id\n  labels   = ["x"]\n}\n`);
    const imported = await tf(["import", "gantry_context.imported", "imported"]);
    expect(imported.code, imported.out).toBe(0);
    const afterImport = await tf(["plan", "-detailed-exitcode"]);
    expect(afterImport.code, afterImport.out).toBe(0);

    const destroy = await tf(["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
    expect((await t.admin.call("listStacks", { query: {} })).items.map((s) => s.id)).not.toContain("app-prod");
    expect((await t.admin.call("listContexts", { query: {} })).items).toEqual([]);
    rmSync(join(dir, "work", "imported.tf"));
  }, 240_000);

  it("shows API validation errors on the right attribute", async () => {
    write(`${badStackAndDependency}
resource "gantry_policy" "typo" {
  name = "typo"
  type = "PLANN"
  body = "package spacelift"
}
`);
    const validate = await tf(["plan"]);
    expect(validate.code).toBe(1);
    expect(validate.out).toMatch(/must be one of PLAN, APPROVAL/);
    expect(validate.out).toContain('type = "PLANN"');

    write(badStackAndDependency);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code).toBe(1);
    expect(apply.out).toContain("must be a valid git branch name");
    expect(apply.out).toContain('branch     = "has space"');
    expect(apply.out).toContain('stack "a" does not exist');
  }, 240_000);

  it("runs a policy's tests on apply and refuses a change that breaks one, naming the test", async () => {
    const policy = (body: string, tests: string) => `resource "gantry_policy" "tested" {
  slug  = "tested"
  name  = "tested"
  type  = "PLAN"
  body  = ${JSON.stringify(body)}
  tests = ${JSON.stringify(tests)}
}
`;
    const tests = 'package spacelift\nimport rego.v1\ntest_denies if deny["no"] with input as {"x": 1}\n';
    write(policy('package spacelift\nimport rego.v1\ndeny contains "no" if input.x == 1\n', tests));
    // Idempotent; this case may run alone (vitest -t).
    expect((await tf(["init"])).code).toBe(0);
    const ok = await tf(["apply", "-auto-approve"]);
    expect(ok.code, ok.out).toBe(0);
    const saved = await t.admin.call("getPolicy", { params: { id: "tested" } });
    expect(saved.tests).toBe(tests);
    write(policy('package spacelift\nimport rego.v1\ndeny contains "no" if input.x == 2\n', tests));
    const refused = await tf(["apply", "-auto-approve"]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("data.spacelift.test_denies");
    expect((await t.admin.call("getPolicy", { params: { id: "tested" } })).version).toBe(saved.version);
    write("");
    expect((await tf(["apply", "-auto-approve"])).code).toBe(0);
  }, 240_000);

  it("refuses a token that is not valid, with a hint", async () => {
    write(`resource "gantry_space" "x" {\n  name = "x"\n}\n`);
    const res = await terraform(join(dir, "work"), ["apply", "-auto-approve"], { ...env, GANTRY_API_TOKEN: "gnt_01ABC_notavalidsecretatallxxxxx" });
    expect(res.code).toBe(1);
    expect(res.out).toContain("the token is not valid");
    expect(res.out).toContain("api_token");
  }, 120_000);
});
