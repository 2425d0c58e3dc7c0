import { execFile } from "node:child_process";
import { posix } from "node:path";
import { promisify } from "node:util";
import { describeProblem, readModuleTests, RUNTIME_CONFIG_PATH, RuntimeConfig, RuntimeConfigError, type ModuleTestCase } from "@gantry/contract/runtime-config";
import { gitEnv } from "@gantry/git";
import { AppError } from "../errors.js";

export type { ModuleTestCase };

const execFileAsync = promisify(execFile);

/** The config file of a module directory, relative to the repository root. */
export const moduleConfigFile = (projectRoot: string): string => posix.normalize(posix.join(projectRoot || ".", RUNTIME_CONFIG_PATH));

/**
 * The test cases of the module directory at a commit, read by the one parser of
 * `.spacelift/config.yml` (the contract's, which the worker uses for stacks), so both report
 * problems alike: `<file>:<line>:<col>: <key> <what>`. Settings Gantry does not act on are
 * refused with the key named, never silently ignored.
 */
export async function moduleTestCases(mirror: string, sha: string, projectRoot: string): Promise<ModuleTestCase[]> {
  const file = moduleConfigFile(projectRoot);
  const text = await execFileAsync("git", ["--git-dir", mirror, "show", "--end-of-options", `${sha}:${file}`], { env: gitEnv, encoding: "utf8" }).then((r) => r.stdout, () => null);
  if (text === null) return [];
  try {
    return readModuleTests(RuntimeConfig.parse(text, file), projectRoot);
  } catch (err) {
    if (!(err instanceof RuntimeConfigError)) throw err;
    throw new AppError("invalid", `${err.message}: fix the module's config file and publish again`, {
      issues: err.problems.map((p) => ({ path: ["tests"], message: describeProblem(err.file, p) })),
    });
  }
}
