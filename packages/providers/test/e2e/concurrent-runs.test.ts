/**
 * Several terraform runs against one simulated cloud at the same time: separate processes
 * (process-per-call mode) and one reattached provider serving two runs with different
 * provider configurations.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startReattachedProvider } from "@gantry/tfplugin";
import { CloudStore } from "../../src/aws/cloud/cloud-store.js";
import { buildSimulatorMirror, PROVIDER_SOURCE, Workspace } from "./terraform-harness.js";

function buckets(prefix: string, count: number, region = "us-east-1", simDir?: string): string {
  const provider = `provider "aws" {\n  region = "${region}"\n${simDir ? `  sim_dir = "${simDir}"\n` : ""}}\n`;
  return provider + Array.from({ length: count }, (_, i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "${prefix}-${i}"\n}\nresource "aws_iam_role" "r${i}" {\n  name = "${prefix}-role-${i}"\n  assume_role_policy = jsonencode({ Statement = [] })\n}`).join("\n");
}

let mirrorDir: string;
let binary: string;
beforeAll(async () => {
  ({ mirrorDir, binary } = await buildSimulatorMirror());
}, 120_000);

describe("concurrent runs", () => {
  it("three terraform applies writing one account's files at once lose nothing", async () => {
    const simDir = await mkdtemp(join(tmpdir(), "sim-shared-"));
    const workspaces = await Promise.all(["alpha", "beta", "gamma"].map(async (name) => {
      const ws = await Workspace.create(mirrorDir, { AWS_SIM_ALLOW_ANONYMOUS: "1", AWS_SIM_DIR: simDir, TF_CLI_ARGS_apply: "-parallelism=10" });
      await ws.writeConfig(buckets(name, 8));
      await ws.ok(["init"]);
      return ws;
    }));
    await Promise.all(workspaces.map((ws) => ws.ok(["apply", "-auto-approve"])));
    const store = new CloudStore(simDir);
    const file = await store.read({ accountId: "123456789012", region: "us-east-1" });
    expect(Object.keys(file.objects["aws_s3_bucket"] ?? {})).toHaveLength(24);
    const roles = await store.read({ accountId: "123456789012", region: "global" });
    expect(Object.keys(roles.objects["aws_iam_role"] ?? {})).toHaveLength(24);
    expect(file.serial).toBe(24);
    await Promise.all(workspaces.map((ws) => ws.ok(["destroy", "-auto-approve"])));
    expect(Object.keys((await store.read({ accountId: "123456789012", region: "us-east-1" })).objects["aws_s3_bucket"] ?? {})).toEqual([]);
  }, 180_000);

  it("one reattached provider keeps two runs' provider configurations apart", async () => {
    const simDir = await mkdtemp(join(tmpdir(), "sim-reattach-"));
    const provider = await startReattachedProvider({ binary, providerAddress: PROVIDER_SOURCE, env: { AWS_SIM_ALLOW_ANONYMOUS: "1" } });
    try {
      const env = { TF_REATTACH_PROVIDERS: provider.reattachProviders };
      const [east, west] = await Promise.all(
        [["east", "us-east-1"], ["west", "eu-west-1"]].map(async ([name, region]) => {
          const ws = await Workspace.create(mirrorDir);
          await ws.writeConfig(buckets(name ?? "", 3, region, simDir));
          await ws.ok(["init"], env);
          return ws;
        }),
      );
      await Promise.all([east, west].map((ws) => ws?.ok(["apply", "-auto-approve"], env)));
      const store = new CloudStore(simDir);
      const inEast = Object.keys((await store.read({ accountId: "123456789012", region: "us-east-1" })).objects["aws_s3_bucket"] ?? {});
      const inWest = Object.keys((await store.read({ accountId: "123456789012", region: "eu-west-1" })).objects["aws_s3_bucket"] ?? {});
      expect(inEast.sort()).toEqual(["east-0", "east-1", "east-2"]);
      expect(inWest.sort()).toEqual(["west-0", "west-1", "west-2"]);
      expect((await east?.run(["plan", "-detailed-exitcode"], env))?.code).toBe(0);
    } finally {
      await provider.stop();
    }
  }, 180_000);
});
