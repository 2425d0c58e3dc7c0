/**
 * `gantry_run` with the real terraform against a real server (no worker: the runs it triggers
 * stay queued, which is all this checks): create triggers one run, a keeper change triggers
 * another, nothing else does, destroy leaves runs alone, and import reads the run's stack.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";

const root = join(import.meta.dirname, "..", "..");

function terraform(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

const config = (keeper: string) => `
terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
provider "gantry" {}
resource "gantry_run" "deploy" {
  stack_id = "target"
  keepers  = { version = "${keeper}" }
}
resource "gantry_run" "preview" {
  stack_id = "target"
  proposed = true
}
`;

describe("gantry_run with real terraform", () => {
  let t: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const work = () => join(dir, "work");
  const tf = (args: string[]) => terraform(work(), args, env);
  const runs = async () => (await t.admin.call("listStackRuns", { params: { id: "target" }, query: {} })).items;

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    dir = mkdtempSync(join(tmpdir(), "gantry-run-resource-"));
    const binary = join(dir, "bin", "terraform-provider-gantry");
    await buildProviderBinary({ entry: join(root, "packages/providers/src/gantry/main.ts"), outFile: binary });
    await layoutMirror({ mirrorDir: join(dir, "mirror"), host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0", binary });
    writeFileSync(join(dir, "cli.tfrc"), `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(join(dir, "mirror"))}\n    include = ["gantry.dev/gantry/gantry"]\n  }\n  direct { exclude = ["gantry.dev/gantry/gantry"] }\n}\n`);
    mkdirSync(work(), { recursive: true });
    env = { TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"), GANTRY_API_URL: t.url, GANTRY_API_TOKEN: t.adminKey };
    await t.admin.call("createStack", { body: { id: "target", name: "target", repository: "/srv/infra.git" } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("triggers a run on create and on a keeper change, and nothing on a plain refresh or destroy", async () => {
    writeFileSync(join(work(), "main.tf"), config("1"));
    expect((await tf(["init"])).code).toBe(0);
    const first = await tf(["apply", "-auto-approve"]);
    expect(first.code, first.out).toBe(0);
    const afterCreate = await runs();
    expect(afterCreate.map((r) => r.type).sort()).toEqual(["PROPOSED", "TRACKED"]);

    const again = await tf(["plan", "-detailed-exitcode"]);
    expect(again.code, again.out).toBe(0);

    writeFileSync(join(work(), "main.tf"), config("2"));
    const bumped = await tf(["apply", "-auto-approve"]);
    expect(bumped.code, bumped.out).toBe(0);
    expect(bumped.out).toContain("1 added, 0 changed, 1 destroyed");
    const afterBump = await runs();
    expect(afterBump).toHaveLength(3);
    expect(afterBump.filter((r) => r.type === "TRACKED")).toHaveLength(2);

    const destroyed = await tf(["destroy", "-auto-approve"]);
    expect(destroyed.code, destroyed.out).toBe(0);
    expect(await runs()).toHaveLength(3);
  }, 120_000);

  it("imports a run by id, reading its stack and kind", async () => {
    const run = await t.admin.call("createRun", { params: { id: "target" }, body: { type: "PROPOSED" } });
    writeFileSync(join(work(), "main.tf"), `terraform {\n  required_providers {\n    gantry = { source = "gantry.dev/gantry/gantry" }\n  }\n}\nprovider "gantry" {}\nresource "gantry_run" "imported" {\n  stack_id = "target"\n  proposed = true\n}\n`);
    const imported = await tf(["import", "gantry_run.imported", run.id]);
    expect(imported.code, imported.out).toBe(0);
    const shown = await tf(["state", "show", "gantry_run.imported"]);
    expect(shown.out).toContain(`id       = "${run.id}"`);
    expect(shown.out).toContain('stack_id = "target"');
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);
  }, 120_000);
});
