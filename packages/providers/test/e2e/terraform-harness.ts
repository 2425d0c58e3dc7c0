/**
 * Runs the REAL terraform against the simulator: builds the provider bundle once per test file
 * into a private filesystem mirror, and makes throwaway working directories that install it
 * from there (no network, no registry).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import type { CloudFile } from "../../src/aws/cloud/cloud-file.js";

export const PROVIDER_SOURCE = "gantry.dev/sim/aws";
const ENTRY = fileURLToPath(new URL("../../src/aws/main.ts", import.meta.url));

/** Builds the provider bundle and a mirror holding it; returns the mirror directory and binary. */
export async function buildSimulatorMirror(): Promise<{ mirrorDir: string; binary: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sim-mirror-"));
  // CommonJS bundle in an extension-less file: keep node from reading it as an ES module.
  await writeFile(join(dir, "package.json"), '{ "type": "commonjs" }\n');
  const built = join(dir, "bin", "terraform-provider-aws");
  await buildProviderBinary({ entry: ENTRY, outFile: built });
  const mirrorDir = join(dir, "mirror");
  const binary = await layoutMirror({ mirrorDir, host: "gantry.dev", namespace: "sim", name: "aws", version: "0.1.0", binary: built });
  return { mirrorDir, binary };
}

/** Result of one terraform command. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A working directory with a configuration, a CLI config pointing at the mirror and a sim dir. */
export class Workspace {
  private constructor(
    readonly dir: string,
    readonly simDir: string,
    private readonly baseEnv: NodeJS.ProcessEnv,
  ) {}

  static async create(mirrorDir: string, env: NodeJS.ProcessEnv = {}): Promise<Workspace> {
    const dir = await mkdtemp(join(tmpdir(), "sim-ws-"));
    const cliConfig = join(dir, "cli.tfrc");
    await writeFile(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path    = "${mirrorDir}"\n    include = ["gantry.dev/sim/*"]\n  }\n}\n`);
    const simDir = join(dir, "sim");
    const base: NodeJS.ProcessEnv = {
      PATH: process.env["PATH"],
      HOME: dir,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      TF_INPUT: "0",
      AWS_SIM_DIR: simDir,
      AWS_REGION: "us-east-1",
      ...env,
    };
    return new Workspace(dir, simDir, base);
  }

  /** Writes main.tf (with the required_providers block prepended). */
  async writeConfig(body: string): Promise<void> {
    await writeFile(join(this.dir, "main.tf"), `terraform {\n  required_providers {\n    aws = { source = "${PROVIDER_SOURCE}" }\n  }\n}\n${body}`);
  }

  /** Runs terraform with `-no-color`; `env` adds to the workspace's environment. */
  run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
    return new Promise((resolve, reject) => {
      const at = args[0] === "state" ? 2 : 1; // flags go after the (sub)command
      const child = spawn("terraform", [...args.slice(0, at), "-no-color", ...args.slice(at)], { cwd: this.dir, env: { ...this.baseEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Runs a command and throws with its output unless it exits with one of `codes`. */
  async ok(args: readonly string[], env: NodeJS.ProcessEnv = {}, codes: readonly number[] = [0]): Promise<TerraformResult> {
    const result = await this.run(args, env);
    if (!codes.includes(result.code)) throw new Error(`terraform ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  /** `terraform show -json <planfile>` parsed. */
  async showPlan(planFile = "plan.bin"): Promise<PlanJson> {
    return JSON.parse((await this.ok(["show", "-json", planFile])).stdout) as PlanJson;
  }

  /** The simulated cloud's file for an account and region. */
  async cloudFile(region = "us-east-1", accountId = "123456789012"): Promise<CloudFile> {
    return JSON.parse(await readFile(join(this.simDir, accountId, `${region}.json`), "utf8")) as CloudFile;
  }

  async writeCloudFile(file: CloudFile, region = "us-east-1", accountId = "123456789012"): Promise<void> {
    await writeFile(join(this.simDir, accountId, `${region}.json`), JSON.stringify(file, null, 2));
  }
}

/** The parts of `terraform show -json` the tests look at. */
export interface PlanJson {
  format_version: string;
  resource_changes: ResourceChange[];
  planned_values: { root_module: { resources?: { address: string; values: Record<string, unknown> }[] } };
  output_changes?: Record<string, { after: unknown }>;
}

export interface ResourceChange {
  address: string;
  mode: string;
  type: string;
  name: string;
  provider_name: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    after_unknown: Record<string, unknown>;
    after_sensitive: Record<string, unknown> | boolean;
    replace_paths?: unknown[][];
  };
  action_reason?: string;
}

/** The change for an address, or a thrown error listing what there is. */
export function changeOf(plan: PlanJson, address: string): ResourceChange {
  const found = plan.resource_changes.find((c) => c.address === address);
  if (!found) throw new Error(`no change for ${address}; have ${plan.resource_changes.map((c) => c.address).join(", ")}`);
  return found;
}
