/**
 * `gantry_stack_dependency` and `gantry_stack_dependency_reference` with the REAL terraform and
 * the provider binary, against a real server: created, read back without drift, refused with
 * the cycle named, imported and destroyed; everything checked through the API.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gantryProviderWorkspace, terraform } from "./terraform.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";


const header = `terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
provider "gantry" {}
`;

const graph = `
resource "gantry_stack" "network" {
  slug       = "network"
  name       = "network"
  repository = "/srv/git/infra.git"
}
resource "gantry_stack" "cluster" {
  slug       = "cluster"
  name       = "cluster"
  repository = "/srv/git/infra.git"
}
resource "gantry_stack_dependency" "cluster_on_network" {
  stack_id            = gantry_stack.cluster.id
  depends_on_stack_id = gantry_stack.network.id
}
resource "gantry_stack_dependency_reference" "vpc" {
  stack_dependency_id = gantry_stack_dependency.cluster_on_network.id
  output_name         = "vpc_id"
  input_name          = "TF_VAR_vpc_id"
}
resource "gantry_stack_dependency_reference" "token" {
  stack_dependency_id = gantry_stack_dependency.cluster_on_network.id
  output_name         = "token"
  input_name          = "NETWORK_TOKEN"
  trigger_always      = true
}
`;

describe("stack dependency resources with real terraform", () => {
  let t: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const tf = (args: string[]) => terraform(join(dir, "work"), args, env);
  const write = (hcl: string) => writeFileSync(join(dir, "work", "main.tf"), header + hcl);

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    ({ dir, env } = await gantryProviderWorkspace(t, "gantry-provider-deps-"));
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates dependencies and references with Spacelift's attribute names, refuses a cycle, imports and destroys", async () => {
    write(graph);
    expect((await tf(["init"])).code).toBe(0);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain("Apply complete! Resources: 5 added");
    const deps = await t.admin.call("listStackDependencies", { params: { id: "cluster" } });
    expect(deps.dependsOn).toHaveLength(1);
    expect(deps.dependsOn[0]).toMatchObject({ stackId: "cluster", dependsOnStackId: "network" });
    // Terraform creates the two references side by side: compare them in a fixed order.
    expect(deps.dependsOn[0]!.references.map((r) => [r.outputName, r.inputName, r.triggerAlways]).sort()).toEqual([
      ["token", "NETWORK_TOKEN", true],
      ["vpc_id", "TF_VAR_vpc_id", false],
    ]);
    const noDrift = await tf(["plan", "-detailed-exitcode"]);
    expect(noDrift.code, noDrift.out).toBe(0);

    // A reference removed behind terraform's back is planned again.
    await t.admin.call("deleteStackDependencyReference", { params: { id: "cluster", referenceId: deps.dependsOn[0]!.references.find((r) => r.inputName === "TF_VAR_vpc_id")!.id } });
    const drift = await tf(["plan", "-detailed-exitcode"]);
    expect(drift.code, drift.out).toBe(2);
    expect(drift.out).toContain("gantry_stack_dependency_reference.vpc will be created");
    expect((await tf(["apply", "-auto-approve"])).code).toBe(0);

    // The reverse edge would close a cycle: refused, naming it.
    write(`${graph}
resource "gantry_stack_dependency" "cycle" {
  stack_id            = gantry_stack.network.id
  depends_on_stack_id = gantry_stack.cluster.id
}
`);
    const cycle = await tf(["apply", "-auto-approve"]);
    expect(cycle.code).toBe(1);
    expect(cycle.out).toContain("network -> cluster -> network");
    expect((await t.admin.call("listStackDependencies", { params: { id: "network" } })).dependsOn).toEqual([]);

    // Import an existing dependency by <stack id>/<dependency id>.
    write(graph);
    const other = await t.admin.call("createStack", { body: { id: "services", name: "services", repository: "/srv/git/infra.git" } });
    const dep = await t.admin.call("createStackDependency", { params: { id: other.id }, body: { dependsOnStackId: "cluster" } });
    writeFileSync(join(dir, "work", "imported.tf"), `resource "gantry_stack_dependency" "services" {\n  stack_id            = "services"\n  depends_on_stack_id = gantry_stack.cluster.id\n}\n`);
    const imported = await tf(["import", "gantry_stack_dependency.services", `services/${dep.id}`]);
    expect(imported.code, imported.out).toBe(0);
    const afterImport = await tf(["plan", "-detailed-exitcode"]);
    expect(afterImport.code, afterImport.out).toBe(0);

    const destroy = await tf(["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
    expect((await t.admin.call("listStackDependencies", { params: { id: "services" } })).dependsOn).toEqual([]);
    rmSync(join(dir, "work", "imported.tf"));
  }, 240_000);
});
