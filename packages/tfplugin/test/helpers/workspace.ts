import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildProviderBinary, layoutMirror } from "../../src/packaging/index.js";

/** Source address of the test provider. */
export const PROVIDER_ADDRESS = "example.com/test/things";

const here = dirname(fileURLToPath(import.meta.url));

/** A built test provider installed in a filesystem mirror, in a fresh temp dir. */
export interface TestMirror {
  readonly root: string;
  readonly mirrorDir: string;
  readonly binary: string;
  /** CLI config file pointing provider installation at the mirror (never the registry). */
  readonly cliConfig: string;
  /** Where the provider keeps its V8 code cache during tests (inside the temp dir). */
  readonly codeCacheDir: string;
  cleanup(): void;
}

/** Bundles test/fixture/main.ts and lays it out as `example.com/test/things` 0.1.0. */
export async function buildTestMirror(): Promise<TestMirror> {
  const root = mkdtempSync(join(tmpdir(), "tfplugin-test-"));
  const binary = join(root, "bin", "terraform-provider-things");
  await buildProviderBinary({ entry: join(here, "..", "fixture", "main.ts"), outFile: binary });
  const mirrorDir = join(root, "mirror");
  await layoutMirror({ mirrorDir, host: "example.com", namespace: "test", name: "things", version: "0.1.0", binary });
  const cliConfig = join(root, "cli.tfrc");
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirrorDir)}\n    include = ["example.com/*/*"]\n  }\n  direct { exclude = ["example.com/*/*"] }\n}\n`,
  );
  return { root, mirrorDir, binary, cliConfig, codeCacheDir: join(root, "v8cache"), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Result of one terraform command. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A terraform working directory with its own "cloud" data directory. */
export interface Workspace {
  readonly dir: string;
  /** Same as dir: where terraform.tfstate lives. */
  readonly root: string;
  readonly dataDir: string;
  writeConfig(hcl: string): void;
  terraform(args: readonly string[], extraEnv?: NodeJS.ProcessEnv): Promise<TerraformResult>;
}

/** Creates a working directory under the mirror's temp root. */
export function createWorkspace(mirror: TestMirror, name: string): Workspace {
  const dir = join(mirror.root, name);
  const dataDir = join(dir, "data");
  mkdirSync(dataDir, { recursive: true });
  return {
    dir,
    root: dir,
    dataDir,
    writeConfig: (hcl) => writeFileSync(join(dir, "main.tf"), hcl),
    terraform: (args, extraEnv = {}) => runTerraform(dir, args, { TF_CLI_CONFIG_FILE: mirror.cliConfig, TFPLUGIN_CODE_CACHE_DIR: mirror.codeCacheDir, ...extraEnv }),
  };
}

function runTerraform(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        TF_INPUT: "0",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The HCL header every test config uses. */
export function providerHeader(dataDir: string): string {
  return `terraform {\n  required_providers {\n    things = { source = "${PROVIDER_ADDRESS}" }\n  }\n}\nprovider "things" {\n  dir = ${JSON.stringify(dataDir)}\n}\n`;
}
