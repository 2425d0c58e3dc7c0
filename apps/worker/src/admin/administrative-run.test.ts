import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Job } from "@gantry/contract";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkerError } from "../errors.js";
import { AdministrativeRun } from "./administrative-run.js";
import { providerInstallation } from "../workspace/provider-installation.js";
import { administrativeOptions, envSwitch } from "./options.js";
import { defaultProviderMirror, findGantryProvider, terraformPlatform } from "./provider-mirror.js";

const job = (extra: Partial<Job> = {}): Job =>
  Job.parse({
    runId: "r1", runType: "TRACKED", phase: "plan", stackId: "mgmt", spaceId: "platform", repository: "/srv/infra.git", branch: "main", commitSha: null,
    source: "git", projectRoot: "", workflowTool: "TERRAFORM", terraformVersion: null, command: null,
    hooks: { beforeInit: [], afterInit: [], beforePlan: [], afterPlan: [], beforeApply: [], afterApply: [], beforeDestroy: [], afterDestroy: [], beforePerform: [], afterPerform: [], afterRun: [] },
    variables: [], files: [], runToken: "gnr_r1_secretsecretsecretsecret", stateBackend: null, ...extra,
  });

/** A mirror layout with several versions (the files only need to exist for version picking). */
function layoutVersions(versions: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "gantry-admin-mirror-"));
  for (const v of versions) {
    const d = join(dir, "gantry.dev", "gantry", "gantry", v, terraformPlatform());
    mkdirSync(d, { recursive: true });
    const file = join(d, `terraform-provider-gantry_v${v}`);
    writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
  }
  return dir;
}

describe("administrative runs on the worker", () => {
  let mirror: string;
  beforeAll(() => {
    mirror = layoutVersions(["0.1.0", "0.10.0", "0.9.1"]);
  });
  afterAll(() => rmSync(mirror, { recursive: true, force: true }));

  it("installs only the named providers from the mirror", () => {
    const block = providerInstallation({ filesystem: { dir: "/srv/mirror", include: ["gantry.dev/gantry/gantry"] }, upstream: "direct" });
    expect(block).toContain('path    = "/srv/mirror"');
    expect(block).toContain('include = ["gantry.dev/gantry/gantry"]');
    expect(block).toContain('exclude = ["gantry.dev/gantry/gantry"]');
  });

  it("picks the highest version in the mirror and explains a missing provider", () => {
    expect(findGantryProvider(mirror).version).toBe("0.10.0");
    expect(() => findGantryProvider(undefined)).toThrow(/npm run build/);
    const empty = mkdtempSync(join(tmpdir(), "gantry-admin-empty-"));
    try {
      expect(() => findGantryProvider(empty)).toThrow(WorkerError);
      expect(() => findGantryProvider(empty)).toThrow(`the Gantry provider for ${terraformPlatform()} is not in the mirror ${empty}`);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it("defaults to the providers package's built mirror with reattach on, and takes what it is given", () => {
    expect(defaultProviderMirror()).toBe(join(realpathSync(join(import.meta.dirname, "../../../../packages/providers")), "dist", "mirror"));
    expect(administrativeOptions({})).toEqual({ mirrorDir: defaultProviderMirror(), reattach: true });
    expect(administrativeOptions({ providerMirror: "/x", providerReattach: false })).toEqual({ mirrorDir: "/x", reattach: false });
    expect(["0", "false", "OFF", "no", "1", "on", "", undefined].map(envSwitch)).toEqual([false, false, false, false, true, true, undefined, undefined]);
  });

  it("leaves ordinary runs alone and refuses an administrative job without its token", () => {
    expect(AdministrativeRun.forJob(job(), { mirrorDir: mirror, reattach: true })).toBeUndefined();
    expect(() => AdministrativeRun.forJob(job({ administrative: true }), { mirrorDir: mirror, reattach: true })).toThrow(/without its API token/);
  });

  it("starts the real provider once with the run's environment, hands terraform its reattach line, and stops it", async () => {
    const real = mkdtempSync(join(tmpdir(), "gantry-admin-real-"));
    try {
      const binary = join(real, "terraform-provider-gantry");
      await buildProviderBinary({ entry: join(import.meta.dirname, "../../../../packages/providers/src/gantry/main.ts"), outFile: binary });
      await layoutMirror({ mirrorDir: join(real, "mirror"), host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0", binary });
      const admin = AdministrativeRun.forJob(job({ administrative: true, apiToken: "gra_1_tokentokentokentokentoken" }), { mirrorDir: join(real, "mirror"), reattach: true })!;
      const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: real, ...admin.environment("http://gantry:4810") };
      expect(env).toMatchObject({ GANTRY_API_URL: "http://gantry:4810", GANTRY_API_TOKEN: "gra_1_tokentokentokentokentoken" });
      await admin.attach(env);
      const reattach = JSON.parse(env.TF_REATTACH_PROVIDERS!) as Record<string, { Pid: number; Protocol: string; Addr: { Network: string; String: string } }>;
      const p = reattach["gantry.dev/gantry/gantry"]!;
      expect(p.Protocol).toBe("grpc");
      expect(() => process.kill(p.Pid, 0)).not.toThrow();
      await admin.close();
      expect(() => process.kill(p.Pid, 0)).toThrow();
      await admin.close();

      // Spacelift's address in the mirror (the same binary stands in): started too, only for a
      // root module that requires it.
      await layoutMirror({ mirrorDir: join(real, "mirror"), host: "registry.terraform.io", namespace: "spacelift-io", name: "spacelift", version: "1.53.5", binary });
      const project = join(real, "project");
      mkdirSync(project);
      writeFileSync(join(project, "main.tf"), 'terraform {\n  required_providers {\n    gantry = { source = "gantry.dev/gantry/gantry" }\n  }\n}\n');
      const both = AdministrativeRun.forJob(job({ administrative: true, apiToken: "gra_1_tokentokentokentokentoken" }), { mirrorDir: join(real, "mirror"), reattach: true })!;
      await both.attach(env, project);
      expect(both.reattachedAddresses).toEqual(["gantry.dev/gantry/gantry"]);
      await both.close();
      writeFileSync(join(project, "providers.tf"), 'terraform {\n  required_providers {\n    spacelift = { source = "spacelift-io/spacelift" }\n  }\n}\n');
      await both.attach(env, project);
      expect(Object.keys(JSON.parse(env.TF_REATTACH_PROVIDERS!) as object).sort()).toEqual(["gantry.dev/gantry/gantry", "registry.terraform.io/spacelift-io/spacelift"]);
      const pids = Object.values(JSON.parse(env.TF_REATTACH_PROVIDERS!) as Record<string, { Pid: number }>).map((x) => x.Pid);
      await both.close();
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      rmSync(real, { recursive: true, force: true });
    }
  }, 30_000);

  it("does not start a provider when reattach is off", async () => {
    const admin = AdministrativeRun.forJob(job({ administrative: true, apiToken: "gra_1_tokentokentokentokentoken" }), { mirrorDir: mirror, reattach: false })!;
    const env: Record<string, string> = {};
    await admin.attach(env);
    expect(env.TF_REATTACH_PROVIDERS).toBeUndefined();
    expect(admin.description).toContain(mirror);
  });
});
