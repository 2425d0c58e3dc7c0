import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { WorkerError } from "./errors.js";
import { downloadBinary } from "./release-mirror.js";

const run = promisify(execFile);

export type WorkflowTool = "TERRAFORM" | "OPEN_TOFU";
const binaryName = (tool: WorkflowTool) => (tool === "OPEN_TOFU" ? "tofu" : "terraform");

/** Versions of binaries found on PATH, asked once per process (each `version` call costs ~50 ms). */
const pathVersions = new Map<string, Promise<string | undefined>>();

async function versionOnPath(name: string): Promise<string | undefined> {
  let p = pathVersions.get(name);
  if (!p) {
    p = run(name, ["version", "-json"], { env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" } }).then(
      ({ stdout }) => (JSON.parse(stdout) as { terraform_version?: string }).terraform_version,
      () => undefined,
    );
    pathVersions.set(name, p);
  }
  return p;
}

/**
 * Finds the binary for a stack: `<toolsDir>/<name>/<version>/<name>` when a version is pinned,
 * else the one on PATH if its version matches (or no version is pinned), else a download from
 * the release mirror (verified by SHA-256) when one is configured.
 */
export async function resolveBinary(tool: WorkflowTool, version: string | null, toolsDir: string | undefined, releaseMirrorUrl?: string): Promise<string> {
  const name = binaryName(tool);
  if (version && toolsDir) {
    const candidate = join(toolsDir, name, version, name);
    if (existsSync(candidate)) return candidate;
  }
  const onPath = await versionOnPath(name);
  if (onPath && (!version || onPath === version)) return name;
  if (version && toolsDir && releaseMirrorUrl) return downloadBinary(releaseMirrorUrl, name, version, toolsDir);
  const where = toolsDir ? `put it at ${join(toolsDir, name, version ?? "<version>", name)}` : "configure a tools directory holding it";
  if (!onPath && !version) throw new WorkerError("binary", `${name} is not installed on this worker: install it on PATH or ${where}`);
  throw new WorkerError("binary", `${name} ${version} is not available on this worker (PATH has ${onPath ?? "none"}): ${where}, or change the stack's terraformVersion`);
}
