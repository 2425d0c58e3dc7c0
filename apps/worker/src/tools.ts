import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { WorkerError } from "./errors.js";
import semver from "semver";
import { downloadBinary } from "./release-mirror.js";
import { fallbackFor, isExactVersion, newestSatisfying, toSemverRange, type VersionFallbackRule } from "./tool-versions.js";

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

/** The versions of `name` this worker has: each `<toolsDir>/<name>/<version>/<name>`, and the one on PATH. */
function installedVersions(name: string, toolsDir: string | undefined, onPath: string | undefined): Map<string, string> {
  const found = new Map<string, string>();
  if (onPath) found.set(onPath, name);
  if (toolsDir && existsSync(join(toolsDir, name))) {
    for (const v of readdirSync(join(toolsDir, name))) {
      const candidate = join(toolsDir, name, v, name);
      if (semver.valid(v) && existsSync(candidate)) found.set(v, candidate);
    }
  }
  return found;
}

export interface ResolvedBinary {
  path: string;
  /** Set when the worker ran another version than the pin asked for (an operator's fallback rule): goes to the run log. */
  warning?: string;
}

export interface BinarySources {
  toolsDir?: string;
  releaseMirrorUrl?: string;
  /** The operator's substitution rules for pins nothing installed satisfies (GANTRY_TERRAFORM_VERSION_FALLBACK). */
  versionFallback?: readonly VersionFallbackRule[];
}

/**
 * Finds the binary for a stack. An exact pin: `<toolsDir>/<name>/<version>/<name>`, else the one
 * on PATH if its version matches, else a download from the release mirror (verified by SHA-256)
 * when one is configured. A range (`~> 1.5`, as Spacelift stacks may pin): the newest installed
 * version in it. Then the operator's fallback rules (a warning says what ran instead), else a
 * refusal listing what is installed and which setting to change.
 */
export async function resolveBinary(tool: WorkflowTool, version: string | null, sources: BinarySources = {}): Promise<ResolvedBinary> {
  const { toolsDir, releaseMirrorUrl, versionFallback = [] } = sources;
  const name = binaryName(tool);
  if (version && toolsDir) {
    const candidate = join(toolsDir, name, version, name);
    if (existsSync(candidate)) return { path: candidate };
  }
  const onPath = await versionOnPath(name);
  if (onPath && (!version || onPath === version)) return { path: name };
  if (!version) {
    throw new WorkerError("binary", `${name} is not installed on this worker: install it on PATH or ${toolsDir ? `put it at ${join(toolsDir, name, "<version>", name)}` : "configure a tools directory holding it"}`);
  }
  const installed = installedVersions(name, toolsDir, onPath);
  if (!isExactVersion(version) && semver.validRange(toSemverRange(version))) {
    const newest = newestSatisfying([...installed.keys()], version);
    if (newest) return { path: installed.get(newest)! };
  } else if (toolsDir && releaseMirrorUrl) {
    return { path: await downloadBinary(releaseMirrorUrl, name, version, toolsDir) };
  }
  const substitute = fallbackFor([...installed.keys()], version, versionFallback);
  if (substitute) {
    return {
      path: installed.get(substitute.version)!,
      warning: `warning: ${name} ${version} is not installed on this worker: running ${name} ${substitute.version} instead, as the worker's terraform version fallback (${substitute.rule}) allows; pin ${substitute.version} on the stack to make this explicit, or install ${version}`,
    };
  }
  const have = installed.size ? [...installed.keys()].sort(semver.rcompare).join(", ") : "none";
  throw new WorkerError(
    "binary",
    `${name} ${version} is not available on this worker (installed: ${have}): change the stack's terraformVersion (or terraform_version in .spacelift/config.yml) to an installed version${toolsDir ? `, put ${name} ${isExactVersion(version) ? version : "<version>"} at ${join(toolsDir, name, isExactVersion(version) ? version : "<version>", name)}` : ""}, configure a release mirror (GANTRY_RELEASE_MIRROR_URL), or let the worker substitute the newest installed version of the same major (GANTRY_TERRAFORM_VERSION_FALLBACK=same-major)`,
  );
}
