/** The real terraform for provider tests: a runner, and a workspace that installs Gantry's provider. */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";

/** Runs the real terraform with a clean environment plus `env`; answers exit code and output. */
export function terraform(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

/**
 * A scratch directory where the real terraform installs Gantry's provider, built from source, from
 * a filesystem mirror, and talks to `server` as its admin: `work` is the root module's folder.
 */
export async function gantryProviderWorkspace(server: { url: string; adminKey: string }, prefix: string): Promise<{ dir: string; work: string; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const binary = join(dir, "bin", "terraform-provider-gantry");
  await buildProviderBinary({ entry: join(import.meta.dirname, "..", "..", "packages/providers/src/gantry/main.ts"), outFile: binary });
  const mirror = join(dir, "mirror");
  await layoutMirror({ mirrorDir: mirror, host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0", binary });
  writeFileSync(join(dir, "cli.tfrc"), `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["gantry.dev/*/*"]\n  }\n  direct { exclude = ["gantry.dev/*/*"] }\n}\n`);
  const work = join(dir, "work");
  mkdirSync(work, { recursive: true });
  return { dir, work, env: { TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"), GANTRY_API_URL: server.url, GANTRY_API_TOKEN: server.adminKey } };
}

/** Spacelift's provider version Gantry publishes its alias under (packages/providers/src/spacelift/provider.ts). */
export const SPACELIFT_PROVIDER_VERSION = "1.53.5";

/**
 * Builds Gantry's provider under Spacelift's address into a filesystem mirror laid out as
 * `npm run build` does: `<mirror>/registry.terraform.io/spacelift-io/spacelift/...`, and the same
 * binary as `hashicorp/spacelift` (what terraform assumes for `spacelift_*` resources in a child
 * module that declares no required_providers).
 */
export async function layoutSpaceliftProvider(mirror: string, binDir: string): Promise<void> {
  const binary = join(binDir, "terraform-provider-spacelift");
  await buildProviderBinary({ entry: join(import.meta.dirname, "..", "..", "packages/providers/src/spacelift/main.ts"), outFile: binary });
  for (const namespace of ["spacelift-io", "hashicorp"]) {
    await layoutMirror({ mirrorDir: mirror, host: "registry.terraform.io", namespace, name: "spacelift", version: SPACELIFT_PROVIDER_VERSION, binary });
  }
}

/**
 * A scratch directory where the real terraform installs `spacelift-io/spacelift` (Gantry's
 * provider under Spacelift's address) from a filesystem mirror, offline. `env` has only the
 * CLI config: each test chooses how the provider authenticates.
 */
export async function spaceliftProviderWorkspace(prefix: string): Promise<{ dir: string; work: string; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const mirror = join(dir, "mirror");
  await layoutSpaceliftProvider(mirror, join(dir, "bin"));
  const source = "registry.terraform.io/spacelift-io/spacelift";
  writeFileSync(join(dir, "cli.tfrc"), `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${source}"]\n  }\n  direct { exclude = ["${source}"] }\n}\n`);
  const work = join(dir, "work");
  mkdirSync(work, { recursive: true });
  return { dir, work, env: { TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc") } };
}
