import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Job } from "@gantry/contract";
import { applyRuntimeConfig, RUNTIME_CONFIG_PATH, RuntimeConfig, RuntimeConfigError } from "@gantry/contract/runtime-config";
import { WorkerError } from "../errors.js";

/**
 * The job as the repository's `.spacelift/config.yml` (at the repository root, as Spacelift
 * reads it, not the project root) changes it: hooks, project root, terraform version and
 * environment for this stack. Read from the checked-out commit, so the file travels with the
 * code it configures; an apply phase reads it again from the workspace saved after planning.
 * A key Gantry does not support fails the run with the file, line and key.
 */
export function withRuntimeConfig(job: Job, workspace: string, note: (line: string) => void): Job {
  const path = join(workspace, RUNTIME_CONFIG_PATH);
  if (!existsSync(path)) return job;
  let config;
  try {
    config = RuntimeConfig.parse(readFileSync(path, "utf8"));
    const out = applyRuntimeConfig(config, job.stackId, { hooks: job.hooks, projectRoot: job.projectRoot, terraformVersion: job.terraformVersion });
    note(out.applied.length ? `${RUNTIME_CONFIG_PATH}: ${out.applied.join("; ")}` : `${RUNTIME_CONFIG_PATH}: nothing applies to stack ${job.stackId}`);
    return {
      ...job,
      hooks: out.hooks,
      projectRoot: out.projectRoot,
      terraformVersion: out.terraformVersion,
      variables: [...job.variables, ...Object.entries(out.environment).map(([name, value]) => ({ name, value, secret: false }))],
    };
  } catch (err) {
    if (err instanceof RuntimeConfigError) throw new WorkerError("runtime_config", `${err.message} (Spacelift's runtime configuration, see docs/migrating-from-spacelift.md)`);
    throw err;
  }
}
