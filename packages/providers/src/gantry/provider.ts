import { GantryClient } from "@gantry/contract";
import { attr } from "@gantry/tfplugin";
import { awsIntegration, awsIntegrationAttachment } from "./resources/aws-integration.js";
import { context, contextAttachment } from "./resources/context.js";
import { environmentVariable, mountedFile } from "./resources/config-element.js";
import { policy, policyAttachment } from "./resources/policy.js";
import { run } from "./resources/run.js";
import { space } from "./resources/space.js";
import { driftDetection, scheduledDeleteStack, scheduledTask } from "./resources/schedules.js";
import { stack } from "./resources/stack.js";
import { stackDependency, stackDependencyReference } from "./resources/stack-dependency.js";
import { module } from "./resources/module.js";
import { namedWebhook, webhook } from "./resources/webhook.js";
import { workerPool } from "./resources/worker-pool.js";
import { dataSources } from "./data-sources.js";

import { kit } from "./kit.js";

/**
 * terraform-provider-gantry: manages Gantry itself (spaces, stacks, contexts, policies,
 * integrations and their attachments). Resource and attribute names mirror Spacelift's
 * provider, so a migration is mostly a rename.
 */
export const gantryProvider = kit.provider({
  schema: {
    api_url: attr.string({ optional: true, description: "Gantry server URL; defaults to GANTRY_API_URL" }),
    api_token: attr.string({ optional: true, sensitive: true, description: "API key or run token; defaults to GANTRY_API_TOKEN (or GANTRY_API_KEY)" }),
  },
  configure({ config, diagnostics }) {
    const url = config.api_url ?? process.env.GANTRY_API_URL ?? process.env.GANTRY_URL;
    const token = config.api_token ?? process.env.GANTRY_API_TOKEN ?? process.env.GANTRY_API_KEY;
    if (!url) diagnostics.error("missing Gantry API URL", "set api_url in the provider block or the GANTRY_API_URL environment variable", ["api_url"]);
    if (!token) diagnostics.error("missing Gantry API token", "set api_token in the provider block or the GANTRY_API_TOKEN environment variable", ["api_token"]);
    return { api: new GantryClient({ baseUrl: url ?? "http://invalid", token: token ?? "" }), url: url ?? "" };
  },
  resources: {
    gantry_space: space,
    gantry_stack: stack,
    gantry_context: context,
    gantry_context_attachment: contextAttachment,
    gantry_environment_variable: environmentVariable,
    gantry_mounted_file: mountedFile,
    gantry_policy: policy,
    gantry_policy_attachment: policyAttachment,
    gantry_aws_integration: awsIntegration,
    gantry_aws_integration_attachment: awsIntegrationAttachment,
    gantry_worker_pool: workerPool,
    gantry_run: run,
    gantry_drift_detection: driftDetection,
    gantry_scheduled_task: scheduledTask,
    gantry_scheduled_delete_stack: scheduledDeleteStack,
    gantry_webhook: webhook,
    gantry_named_webhook: namedWebhook,
    gantry_stack_dependency: stackDependency,
    gantry_stack_dependency_reference: stackDependencyReference,
    gantry_module: module,
  },
  dataSources,
});
