/**
 * `npm run bench:registry`: `terraform init` of a root module calling 5 modules from Gantry's
 * registry (HTTPS, local CA, token) and requiring 2 providers (Gantry's provider and the AWS
 * simulator, published into the registry at start-up) through Gantry's network mirror, with a
 * cold and a warm plugin cache, against the same init with the 5 modules as local directory
 * sources and the 2 providers from a local filesystem mirror. Prints medians and the ratios.
 * Options: BENCH_RUNS (default 5) inits per case.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import pino from "pino";
import { loadConfig, startServer } from "../src/index.js";

const execFileAsync = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = join(import.meta.dirname, "..", "..", "..");
const NAMES = ["vpc", "ecs", "rds", "alb", "dns"];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const moduleCode = (name: string) => `variable "name" {\n  default = "${name}"\n}\nresource "terraform_data" "x" {\n  input = var.name\n}\noutput "id" {\n  value = terraform_data.x.output\n}\n`;
const providers = `terraform {\n  required_providers {\n    gantry = { source = "gantry.dev/gantry/gantry" }\n    aws    = { source = "gantry.dev/sim/aws" }\n  }\n}\n`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "gantry-bench-registry-"));
  try {
    const mirror = join(dir, "mirror");
    for (const [name, entry, ns] of [["gantry", "packages/providers/src/gantry/main.ts", "gantry"], ["aws", "packages/providers/src/aws/main.ts", "sim"]] as const) {
      const binary = join(dir, "bin", `terraform-provider-${name}`);
      await buildProviderBinary({ entry: join(root, entry), outFile: binary });
      await layoutMirror({ mirrorDir: mirror, host: "gantry.dev", namespace: ns, name, version: "0.1.0", binary });
    }
    const repo = join(dir, "modules");
    mkdirSync(repo);
    for (const n of NAMES) {
      mkdirSync(join(repo, "modules", n), { recursive: true });
      writeFileSync(join(repo, "modules", n, "main.tf"), moduleCode(n));
    }
    const git = (...a: string[]) => execFileSync("git", a, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@x", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@x" } });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "modules");
    git("tag", "v1.0.0");

    const dataDir = join(dir, "data");
    const server = await startServer(loadConfig({ argv: { port: 0, httpsPort: 0, dataDir, encryptionKey: randomBytes(32).toString("base64"), vcsPollSeconds: 0, shippedProvidersDir: mirror }, env: {} }), { log: pino({ level: "silent" }) });
    const api = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
    for (const n of NAMES) await api.call("createModule", { body: { name: n, terraformProvider: "aws", namespace: "bench", repository: repo, projectRoot: `modules/${n}` } });
    const host = server.registry.host;
    const caDir = join(dir, "ca");
    mkdirSync(caDir);
    writeFileSync(join(caDir, "ca.pem"), server.registry.caCertificatePem!);

    const cache = join(dir, "plugin-cache");
    const credentials = `credentials ${JSON.stringify(host)} {\n  token = ${JSON.stringify(server.adminApiKey)}\n}\n`;
    // The registry case installs the providers through Gantry's network mirror, as runs do; the
    // local case from a filesystem mirror on disk.
    const cliConfigs = {
      registry: `plugin_cache_dir = ${JSON.stringify(cache)}\nprovider_installation {\n  network_mirror {\n    url     = "${server.httpsUrl}/v1/mirror/"\n    include = ["gantry.dev/*/*"]\n  }\n}\n${credentials}`,
      local: `plugin_cache_dir = ${JSON.stringify(cache)}\nprovider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["gantry.dev/*/*"]\n  }\n}\n${credentials}`,
    };
    for (const [kind, text] of Object.entries(cliConfigs)) writeFileSync(join(dir, `terraformrc-${kind}`), text);
    const envFor = (kind: "registry" | "local") => ({ PATH: process.env.PATH, HOME: dir, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0", TF_CLI_CONFIG_FILE: join(dir, `terraformrc-${kind}`), SSL_CERT_DIR: `/etc/ssl/certs:${caDir}` });

    const stack = (kind: "registry" | "local") => {
      const d = mkdtempSync(join(dir, `${kind}-`));
      if (kind === "local") cpSync(join(repo, "modules"), join(d, "modules"), { recursive: true });
      const calls = NAMES.map((n) => (kind === "registry" ? `module "${n}" {\n  source  = "${host}/bench/${n}/aws"\n  version = "~> 1.0"\n}\n` : `module "${n}" {\n  source = "./modules/${n}"\n}\n`));
      writeFileSync(join(d, "main.tf"), providers + calls.join(""));
      return d;
    };
    // Asynchronous: the registry answering terraform runs in this process.
    const init = async (kind: "registry" | "local", warm: boolean): Promise<number> => {
      if (!warm) rmSync(cache, { recursive: true, force: true });
      mkdirSync(cache, { recursive: true });
      const d = stack(kind);
      const started = performance.now();
      await execFileAsync("terraform", ["init", "-input=false", "-no-color"], { cwd: d, env: envFor(kind), encoding: "utf8" }).catch((err: { stdout?: string; stderr?: string }) => {
        throw new Error(`terraform init (${kind}) failed:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
      });
      const ms = performance.now() - started;
      rmSync(d, { recursive: true, force: true });
      return ms;
    };
    await init("registry", false); // warm-up: file system caches, terraform's first start
    const results: Record<string, number> = {};
    for (const kind of ["local", "registry"] as const) {
      for (const warm of [false, true]) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          if (warm) await init(kind, false); // fill the cache
          times.push(await init(kind, warm));
        }
        results[`${kind} ${warm ? "warm" : "cold"}`] = median(times);
      }
    }
    console.log(`terraform init, 5 modules + 2 providers (registry: Gantry's modules.v1 and network mirror; local: directories and a filesystem mirror), median of ${RUNS} (ms):`);
    for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(16)} ${v.toFixed(0)}`);
    console.log(`ratio registry/local, cold plugin cache: ${(results["registry cold"]! / results["local cold"]!).toFixed(2)}`);
    console.log(`ratio registry/local, warm plugin cache: ${(results["registry warm"]! / results["local warm"]!).toFixed(2)}`);
    console.log(`ratio warm/cold (registry): ${(results["registry warm"]! / results["registry cold"]!).toFixed(2)}`);
    await server.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
