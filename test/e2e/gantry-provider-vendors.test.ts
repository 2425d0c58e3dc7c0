/**
 * Vendor blocks of `gantry_stack` with the REAL terraform (provider bundled and installed from a
 * filesystem mirror) against a real server: a `kubernetes {}` block makes a Kubernetes stack and an
 * `ansible {}` block an Ansible one (manage_state then defaults to false, as the server decides),
 * a second plan is empty, an edited block updates in place, and a `pulumi {}` block is refused with
 * the server's reason.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gantryProviderWorkspace, terraform } from "./terraform.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";


const config = (namespace: string, extra = "") => `terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
provider "gantry" {}
resource "gantry_stack" "web" {
  slug       = "vendor-web"
  name       = "vendor web"
  repository = "/srv/git/k8s.git"
  kubernetes {
    namespace = "${namespace}"
  }
}
resource "gantry_stack" "hosts" {
  slug       = "vendor-hosts"
  name       = "vendor hosts"
  repository = "/srv/git/ops.git"
  ansible {
    playbook = "site.yml"
  }
}
resource "gantry_stack" "infra" {
  slug       = "vendor-infra"
  name       = "vendor infra"
  repository = "/srv/git/infra.git"
}
${extra}`;

describe("terraform-provider-gantry vendor blocks with real terraform", () => {
  let t: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const tf = (args: string[]) => terraform(join(dir, "work"), args, env);
  const write = (hcl: string) => writeFileSync(join(dir, "work", "main.tf"), hcl);

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    ({ dir, env } = await gantryProviderWorkspace(t, "gantry-provider-vendors-"));
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates Kubernetes and Ansible stacks from blocks, updates a block in place and refuses pulumi", async () => {
    write(config("apps"));
    expect((await tf(["init"])).code).toBe(0);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    expect(await t.admin.call("getStack", { params: { id: "vendor-web" } })).toMatchObject({ vendor: "KUBERNETES", kubernetes: { namespace: "apps", kubectlVersion: null }, manageState: false });
    expect(await t.admin.call("getStack", { params: { id: "vendor-hosts" } })).toMatchObject({ vendor: "ANSIBLE", ansible: { playbook: "site.yml" }, manageState: false });
    expect(await t.admin.call("getStack", { params: { id: "vendor-infra" } })).toMatchObject({ vendor: "TERRAFORM", manageState: true });
    const again = await tf(["plan", "-detailed-exitcode"]);
    expect(again.code, again.out).toBe(0);

    write(config("web"));
    const update = await tf(["apply", "-auto-approve"]);
    expect(update.code, update.out).toBe(0);
    expect(update.out).toContain("0 added, 1 changed, 0 destroyed");
    expect((await t.admin.call("getStack", { params: { id: "vendor-web" } })).kubernetes).toEqual({ namespace: "web", kubectlVersion: null });

    write(config("web", `resource "gantry_stack" "pu" {\n  name       = "pu"\n  repository = "/srv/git/pu.git"\n  pulumi {\n    login_url  = "s3://state"\n    stack_name = "dev"\n  }\n}\n`));
    const refused = await tf(["apply", "-auto-approve"]);
    expect(refused.code).not.toBe(0);
    expect(refused.out.replace(/\s+/g, " ")).toContain("Pulumi engine is not installed on this Gantry's workers");
    expect((await t.admin.call("listStacks", { query: {} })).items.map((s) => s.id)).not.toContain("pu");

    write(config("web"));
    const destroy = await tf(["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
  }, 300_000);
});
