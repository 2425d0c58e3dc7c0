import type { Hooks } from "../schemas/common.js";
import { runtimeHookKeys, type RuntimeConfig, type RuntimeHookKey } from "./parse.js";

/** The run settings the runtime configuration can change, as the stack (and its contexts) set them. */
export interface StackRunSettings {
  hooks: Hooks;
  projectRoot: string;
  terraformVersion: string | null;
}

export interface AppliedRuntimeConfig extends StackRunSettings {
  /** Variables the file sets; they win over the stack's and its contexts' variables. */
  environment: Record<string, string>;
  /** One line per setting taken from the file, for the run log. */
  applied: string[];
}

/**
 * Applies `.spacelift/config.yml` to one stack's run as Spacelift does. For settings (hooks,
 * project_root, terraform_version) the precedence is: `stacks.<id>`, then the stack's own
 * setting, then `stack_defaults`. Environment variables from the file win over the stack's and
 * its contexts' (Spacelift's precedence for the environment); `stacks.<id>.environment` replaces
 * `stack_defaults.environment` rather than merging with it, as lists and maps do in Spacelift's
 * runtime configuration (YAML merge keys are the way to share entries).
 */
export function applyRuntimeConfig(config: RuntimeConfig, stackId: string, current: StackRunSettings): AppliedRuntimeConfig {
  const { defaults, stack } = config.forStack(stackId);
  const applied: string[] = [];
  const from = (own: boolean) => (own ? `stacks.${stackId}` : "stack_defaults");

  let projectRoot = current.projectRoot;
  if (stack?.projectRoot !== undefined) projectRoot = stack.projectRoot;
  else if (!current.projectRoot && defaults.projectRoot !== undefined) projectRoot = defaults.projectRoot;
  if (projectRoot !== current.projectRoot) applied.push(`project_root ${JSON.stringify(projectRoot)} (${from(stack?.projectRoot !== undefined)})`);

  let terraformVersion = current.terraformVersion;
  if (stack?.terraformVersion !== undefined) terraformVersion = stack.terraformVersion;
  else if (!current.terraformVersion && defaults.terraformVersion !== undefined) terraformVersion = defaults.terraformVersion;
  if (terraformVersion !== current.terraformVersion) applied.push(`terraform_version ${terraformVersion} (${from(stack?.terraformVersion !== undefined)})`);

  const hooks: Hooks = { ...current.hooks };
  for (const [key, field] of Object.entries(runtimeHookKeys) as [RuntimeHookKey, keyof Hooks][]) {
    const own = stack?.hooks[key];
    if (own) {
      hooks[field] = own;
      applied.push(`${key}: ${own.length} command${own.length === 1 ? "" : "s"} (${from(true)})`);
    } else if (current.hooks[field].length === 0 && defaults.hooks[key]) {
      hooks[field] = defaults.hooks[key];
      applied.push(`${key}: ${defaults.hooks[key].length} command${defaults.hooks[key].length === 1 ? "" : "s"} (${from(false)})`);
    }
  }

  const environment = stack?.environment ?? defaults.environment ?? {};
  const names = Object.keys(environment);
  if (names.length) applied.push(`environment: ${names.join(", ")} (${from(stack?.environment !== undefined)})`);
  return { hooks, projectRoot, terraformVersion, environment, applied };
}
