import { Command, Option } from "commander";
import { outputFormats } from "./output.js";
import type { Runtime } from "./runtime.js";
import { apiKeyCommand, roleCommand } from "./commands/access.js";
import { adminCommand } from "./commands/admin.js";
import { auditCommand } from "./commands/audit.js";
import { awsIntegrationCommand } from "./commands/aws-integration.js";
import { contextCommand } from "./commands/context.js";
import { moduleCommand } from "./commands/module.js";
import { providerCommand } from "./commands/provider.js";
import { registryTokenCommand } from "./commands/registry-token.js";
import { localPreviewCommand } from "./commands/local-preview.js";
import { loginCommand } from "./commands/login.js";
import { policyLocalCommands } from "./commands/policy-local.js";
import { policyFmtCommand } from "./commands/policy-fmt.js";
import { runExplainPolicyCommand } from "./commands/run-explain-policy.js";
import { policyCommand } from "./commands/policy.js";
import { policySimulateCommand } from "./commands/policy-simulate.js";
import { spaceCommand } from "./commands/space.js";
import { runCommand } from "./commands/run.js";
import { registerRunCommands } from "./commands/runs.js";
import { stackCommand } from "./commands/stack.js";
import { driftCommands } from "./commands/drift.js";
import { teamCommand, userCommand } from "./commands/user.js";
import { workerPoolCommand } from "./commands/worker-pool.js";
import { workerCommand } from "./commands/worker.js";
import { serverCommand, upCommand } from "./commands/up.js";
import { vcsCommand } from "./commands/vcs.js";
import { notificationsCommand, webhookCommand } from "./commands/webhook.js";

/** Version of the CLI, printed by `gantry --version`. */
export const CLI_VERSION = "0.1.0";

/**
 * Builds the `gantry` command tree. Usage errors and help go through commander's exit override,
 * so `main` alone decides exit codes.
 */
export function buildProgram(rt: Runtime): Command {
  const program = new Command("gantry")
    .description("Gantry: run infrastructure as code for many teams")
    .version(CLI_VERSION)
    .addOption(new Option("-o, --output <format>", "output format").choices(outputFormats).default("table"))
    .option("--profile <name>", "use a profile saved by gantry login (default: GANTRY_PROFILE or the last login)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => rt.out(s.replace(/\n$/, "")), writeErr: (s) => rt.err(s.replace(/\n$/, "")) });
  loginCommand(rt, program);
  upCommand(rt, program);
  serverCommand(rt, program);
  workerCommand(rt, program);
  spaceCommand(rt, program);
  stackCommand(rt, program);
  localPreviewCommand(rt, program);
  contextCommand(rt, program);
  moduleCommand(rt, program);
  providerCommand(rt, program);
  registryTokenCommand(rt, program);
  awsIntegrationCommand(rt, program);
  const policy = policyCommand(rt, program);
  policyLocalCommands(rt, policy);
  policySimulateCommand(rt, policy);
  policyFmtCommand(rt, policy);
  runCommand(rt, program);
  driftCommands(rt, program);
  registerRunCommands(rt, program);
  runExplainPolicyCommand(rt, program);
  workerPoolCommand(rt, program);
  vcsCommand(rt, program);
  webhookCommand(rt, program);
  notificationsCommand(rt, program);
  auditCommand(rt, program);
  userCommand(rt, program);
  teamCommand(rt, program);
  apiKeyCommand(rt, program);
  roleCommand(rt, program);
  adminCommand(rt, program);
  return program;
}
