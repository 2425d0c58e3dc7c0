/**
 * The private module registry end to end (issue #17) with the real server (HTTPS with its local
 * CA), the real worker, the real terraform and local git repositories:
 * - the blog's module registration: a wrapper module around `gantry_module`, applied by an
 *   administrative stack, registers `vpc` from a `modules` repository tagged v2.0.0, v2.1.0, v3.0.0;
 * - a service stack consuming `~> 2.0` resolves 2.1.0 (not 3.0.0), with no trust or credential
 *   setup of its own; a second one uses Spacelift's address form (`spacelift.io/...`);
 * - a stack in a space that cannot read the module gets a clean `terraform init` error;
 * - publishing v2.2.0 shows the consumers whose constraint admits it and queues their proposed runs;
 * - yanking it keeps it for the stacks that use it and hides it from a new stack.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";
import { makeRepo, runLog, waitForRun, type Repo } from "../../apps/worker/test/fixtures.js";

const root = join(import.meta.dirname, "..", "..");
const execFileAsync = promisify(execFile);
const RUN_WAIT_MS = 240_000;

const vpcModule = (cidr: string) => ({
  "modules/vpc/main.tf": `variable "name" {\n  type = string\n}\nvariable "cidr" {\n  default = "${cidr}"\n}\nresource "terraform_data" "vpc" {\n  input = "\${var.name}:\${var.cidr}"\n}\noutput "id" {\n  value = terraform_data.vpc.output\n}\n`,
});

/** The blog's `modules/spacelift-module` wrapper with only the resource type renamed. */
const wrapperModule = `
terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
variable "name" {
  type = string
}
variable "repository" {
  type = string
}
variable "branch" {
  type    = string
  default = "main"
}
variable "project_root" {
  type    = string
  default = ""
}
variable "space_id" {
  type = string
}
variable "description" {
  type    = string
  default = ""
}
variable "labels" {
  type    = list(string)
  default = []
}
variable "terraform_provider" {
  type    = string
  default = "aws"
}
resource "gantry_module" "this" {
  name               = var.name
  description        = var.description
  repository         = var.repository
  branch             = var.branch
  project_root       = var.project_root
  space_id           = var.space_id
  terraform_provider = var.terraform_provider
  labels = concat(var.labels, [
    "module:\${var.name}",
    "autoattach:security-policies",
  ])
  github_enterprise {
    namespace = "your-org"
  }
}
output "id" {
  value = gantry_module.this.id
}
`;

const management = (modulesRepo: string) => `
terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
provider "gantry" {}
module "module_vpc" {
  source       = "../modules/spacelift-module"
  name         = "vpc"
  repository   = ${JSON.stringify(modulesRepo)}
  project_root = "modules/vpc"
  space_id     = "platform"
  description  = "VPC module with private/public subnets, NAT gateways, and flow logs"
  labels       = ["module:vpc"]
}
data "gantry_module" "vpc" {
  module_id = module.module_vpc.id
}
data "gantry_module_versions" "vpc" {
  module_id = module.module_vpc.id
}
output "vpc_source" {
  value = data.gantry_module.vpc.source
}
output "vpc_versions" {
  value = [for v in data.gantry_module_versions.vpc.versions : "\${v.version}:\${v.state}"]
}
`;

const service = (source: string, name: string) => `
module "vpc" {
  source  = ${JSON.stringify(source)}
  version = "~> 2.0"
  name    = ${JSON.stringify(name)}
}
output "vpc" {
  value = module.vpc.id
}
`;

describe("private module registry with real git, terraform and HTTPS", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let modules: Repo;
  let infra: Repo;
  let dir: string;

  const run = async (stackId: string, type: "TRACKED" | "PROPOSED" = "PROPOSED") => {
    const created = await t.admin.call("createRun", { params: { id: stackId }, body: { type } });
    const done = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    return { run: done, log: await runLog(t.admin, done.id) };
  };

  /** The real CLI, as a person would run it, answering JSON. */
  const gantry = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await execFileAsync(join(root, "node_modules/.bin/tsx"), [join(root, "apps/cli/src/main.ts"), ...args, "-o", "json"], {
      env: { PATH: process.env.PATH, HOME: dir, GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey }, encoding: "utf8",
    });
    return JSON.parse(stdout) as unknown;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gantry-registry-e2e-"));
    const binary = join(dir, "bin", "terraform-provider-gantry");
    await buildProviderBinary({ entry: join(root, "packages/providers/src/gantry/main.ts"), outFile: binary });
    const mirror = join(dir, "mirror");
    await layoutMirror({ mirrorDir: mirror, host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0", binary });
    t = await startTestServer("sqlite", { settings: { httpsPort: 0, registryHostAliases: "spacelift.io" } });
    modules = makeRepo({ "README.md": "internal modules\n", ...vpcModule("10.0.0.0/16") });
    modules.git("tag", "v2.0.0");
    modules.commit(vpcModule("10.1.0.0/16"), "wider default");
    modules.git("tag", "v2.1.0");
    modules.commit({ "modules/vpc/breaking.tf": "variable \"required_new\" {\n  type = string\n}\n" }, "breaking change");
    modules.git("tag", "v3.0.0");
    const host = t.server.registry.host;
    infra = makeRepo({
      "modules/spacelift-module/main.tf": wrapperModule,
      "management/main.tf": management(modules.path),
      "services/app/main.tf": service(`${host}/your-org/vpc/aws`, "app"),
      "services/legacy/main.tf": service("spacelift.io/your-org/vpc/aws", "legacy"),
      "services/outsider/main.tf": service(`${host}/your-org/vpc/aws`, "outsider"),
    });
    await t.admin.call("createSpace", { body: { id: "platform", name: "platform", inheritEntities: true } });
    await t.admin.call("createSpace", { body: { id: "payments", name: "payments" } });
    await t.admin.call("createStack", { body: { id: "management", name: "management", repository: infra.path, projectRoot: "management", administrative: true, autodeploy: true } });
    await t.admin.call("createStack", { body: { id: "app", name: "app", spaceId: "platform", repository: infra.path, projectRoot: "services/app" } });
    await t.admin.call("createStack", { body: { id: "legacy", name: "legacy", spaceId: "platform", repository: infra.path, projectRoot: "services/legacy" } });
    await t.admin.call("createStack", { body: { id: "outsider", name: "outsider", spaceId: "payments", repository: infra.path, projectRoot: "services/outsider" } });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: join(dir, "worker"), providerMirror: mirror, providerReattach: true, claimWaitMs: 5000 });
    await worker.ready;
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("registers the module through the blog's wrapper module and publishes the tags on its branch", async () => {
    const { run: r, log } = await run("management", "TRACKED");
    expect(r.state, `${r.failureReason}\n${log}`).toBe("FINISHED");
    const m = await t.admin.call("getModule", { params: { id: "terraform-aws-vpc" } });
    expect(m).toMatchObject({ name: "vpc", namespace: "your-org", terraformProvider: "aws", spaceId: "platform", projectRoot: "modules/vpc", source: `${t.server.registry.host}/your-org/vpc/aws` });
    expect([...m.labels].sort()).toEqual(["autoattach:security-policies", "module:vpc"]);
    const versions = await t.admin.call("listModuleVersions", { params: { id: m.id } });
    expect(versions.items.map((v) => v.version)).toEqual(["3.0.0", "2.1.0", "2.0.0"]);
    // The worker's shared plugin cache holds the provider the run installed.
    expect(existsSync(join(dir, "worker", "plugin-cache", "gantry.dev", "gantry", "gantry", "0.1.0"))).toBe(true);
    // The data sources read what the resource made.
    const outputs = await t.admin.call("stackOutputs", { params: { id: "management" } });
    expect(JSON.stringify(outputs)).toContain(`${t.server.registry.host}/your-org/vpc/aws`);
    expect(JSON.stringify(outputs)).toContain("3.0.0:ACTIVE");
  }, 600_000);

  it("resolves ~> 2.0 to 2.1.0 over HTTPS with the run's own token and CA, and by Spacelift's address through a host alias", async () => {
    const [app, legacy] = await Promise.all([run("app"), run("legacy")]);
    for (const { run: r, log } of [app, legacy]) {
      expect(r.state, `${r.failureReason}\n${log}`).toBe("FINISHED");
      expect(log).toMatch(/Downloading \S+\/your-org\/vpc\/aws 2\.1\.0 for vpc/);
      expect(log).not.toContain("3.0.0");
    }
    expect(legacy.log).toContain("spacelift.io/your-org/vpc/aws 2.1.0");
    const consumers = await t.admin.call("listModuleConsumers", { params: { id: "terraform-aws-vpc" } });
    expect(consumers.items.map((c) => [c.stackId, c.version, c.newerMatchingVersion])).toEqual([["app", "2.1.0", null], ["legacy", "2.1.0", null]]);
  }, 600_000);

  it("gives a stack whose space cannot read the module a clean init error that does not reveal the module", async () => {
    const { run: r, log } = await run("outsider");
    expect(r.state).toBe("FAILED");
    // Exactly terraform's answer for a module that does not exist: nothing tells it apart.
    expect(log).toContain("Error: Module not found");
    expect(log).toMatch(/Module "vpc" \(from main\.tf:2\) cannot be found in the module registry/);
    expect((await t.admin.call("listModuleConsumers", { params: { id: "terraform-aws-vpc" } })).items.map((c) => c.stackId)).not.toContain("outsider");
  }, 600_000);

  it("publishing v2.2.0 shows its changelog and two consumers, and queues their proposed runs, which resolve 2.2.0", async () => {
    await t.admin.call("updateModule", { params: { id: "terraform-aws-vpc" }, body: { triggerConsumers: "PROPOSED" } });
    modules.git("checkout", "--quiet", "v2.1.0");
    modules.git("checkout", "--quiet", "-b", "release-2.x");
    modules.commit({ "modules/vpc/tags.tf": "output \"tags\" {\n  value = { module = \"vpc\" }\n}\n" }, "tags output");
    modules.git("tag", "v2.2.0");
    const result = (await gantry("module", "publish", "terraform-aws-vpc", "--ref", "v2.2.0")) as { published: { version: string; changelog: { previousVersion: string; commits: { message: string }[]; filesChanged: string[] } }[]; impact: { consumers: { stackId: string; admits: boolean }[]; triggered: { stackId: string; runId: string; type: string }[] }[] };
    expect(result.published[0]).toMatchObject({ version: "2.2.0", changelog: { previousVersion: "2.1.0", commits: [{ message: "tags output" }], filesChanged: ["modules/vpc/tags.tf"] } });
    const impact = result.impact[0]!;
    expect(impact.consumers.map((c) => [c.stackId, c.admits])).toEqual([["app", true], ["legacy", true]]);
    expect(impact.triggered.map((x) => [x.stackId, x.type])).toEqual([["app", "PROPOSED"], ["legacy", "PROPOSED"]]);
    for (const x of impact.triggered) {
      const r = await waitForRun(t.admin, x.runId, undefined, RUN_WAIT_MS);
      const log = await runLog(t.admin, r.id);
      expect(r.state, log).toBe("FINISHED");
      expect(log).toMatch(/your-org\/vpc\/aws 2\.2\.0 for vpc/);
    }
    const consumers = (await gantry("module", "consumers", "terraform-aws-vpc")) as { stackId: string; version: string }[];
    expect(consumers.map((c) => [c.stackId, c.version])).toEqual([["app", "2.2.0"], ["legacy", "2.2.0"]]);
    const shown = (await gantry("module", "show", "terraform-aws-vpc")) as { source: string; latestVersion: string };
    expect(shown).toMatchObject({ source: `${t.server.registry.host}/your-org/vpc/aws`, latestVersion: "3.0.0" });
    const versions = (await gantry("module", "versions", "terraform-aws-vpc")) as { version: string; state: string; commit: string }[];
    expect(versions.map((v) => [v.version, v.state])).toEqual([["3.0.0", "ACTIVE"], ["2.2.0", "ACTIVE"], ["2.1.0", "ACTIVE"], ["2.0.0", "ACTIVE"]]);
    expect(versions[1]!.commit).toBe(modules.git("rev-parse", "v2.2.0"));
  }, 600_000);
  it("a yanked version stays with the stacks that use it (terraform has no module lock file) and is not picked by others", async () => {
    await t.admin.call("updateModule", { params: { id: "terraform-aws-vpc" }, body: { triggerConsumers: "NONE" } });
    await gantry("module", "yank", "terraform-aws-vpc", "2.2.0");
    await t.admin.call("createStack", { body: { id: "newcomer", name: "newcomer", spaceId: "platform", repository: infra.path, projectRoot: "services/app" } });
    const [app, newcomer] = await Promise.all([run("app"), run("newcomer")]);
    for (const { run: r, log } of [app, newcomer]) expect(r.state, `${r.failureReason}\n${log}`).toBe("FINISHED");
    expect(app.log).toMatch(/your-org\/vpc\/aws 2\.2\.0 for vpc/);
    expect(newcomer.log).toMatch(/your-org\/vpc\/aws 2\.1\.0 for vpc/);
    expect(newcomer.log).not.toContain("2.2.0");
    const consumers = (await gantry("module", "consumers", "terraform-aws-vpc")) as { stackId: string; version: string }[];
    expect(consumers.map((c) => [c.stackId, c.version])).toEqual([["app", "2.2.0"], ["legacy", "2.2.0"], ["newcomer", "2.1.0"]]);
  }, 600_000);
});
