import { GantryClient } from "@gantry/contract";
import { attr, TfPluginError } from "@gantry/tfplugin";
import { driftDetection, scheduledDeleteStack, scheduledTask } from "../gantry/resources/schedules.js";
import { context } from "../gantry/resources/context.js";
import { space } from "../gantry/resources/space.js";
import { stackDependency, stackDependencyReference } from "../gantry/resources/stack-dependency.js";
import { namedWebhook } from "../gantry/resources/webhook.js";
import { kit } from "../gantry/kit.js";
import {
  spaceliftAwsIntegrationAttachment, spaceliftContextAttachment, spaceliftEnvironmentVariable, spaceliftMountedFile, spaceliftPolicyAttachment,
} from "./attachments.js";
import { spaceliftAwsIntegration } from "./aws-integration.js";
import { resolveCredentials } from "./credentials.js";
import { spaceliftDataSources } from "./data-sources.js";
import { spaceliftModule } from "./module.js";
import { spaceliftPolicy } from "./policy.js";
import { spaceliftRun, spaceliftWebhook } from "./run.js";
import { stackDestructor } from "./stack-destructor.js";
import { spaceliftStack } from "./stack.js";
import { spaceliftWorkerPool } from "./worker-pool.js";

/** Spacelift's provider version whose schemas these follow; the mirror publishes the alias under it. */
export const SPACELIFT_PROVIDER_VERSION = "1.53.5";

/**
 * Gantry's provider under Spacelift's source address (`spacelift-io/spacelift`): Spacelift's
 * provider block, resource and data source names and attributes, implemented by the Gantry
 * provider's handlers. What Gantry cannot honour is a plan warning or error, never dropped
 * silently (docs/spacelift-provider.md).
 */
export const spaceliftProvider = kit.provider({
  schema: {
    api_key_endpoint: attr.string({ optional: true, description: "Gantry server URL; defaults to SPACELIFT_API_KEY_ENDPOINT, then GANTRY_API_URL" }),
    api_key_id: attr.string({ optional: true, description: "id of a Gantry API key (gnt_<id>_<secret>); defaults to SPACELIFT_API_KEY_ID" }),
    api_key_secret: attr.string({ optional: true, sensitive: true, description: "secret part of that API key (or the whole key); defaults to SPACELIFT_API_KEY_SECRET" }),
    api_token: attr.string({ optional: true, sensitive: true, description: "a Gantry token (API key, run token); defaults to SPACELIFT_API_TOKEN, then GANTRY_API_TOKEN" }),
  },
  configure({ config, diagnostics }) {
    try {
      const { url, token } = resolveCredentials(config, process.env);
      return { api: new GantryClient({ baseUrl: url, token }), url };
    } catch (err) {
      if (!(err instanceof TfPluginError)) throw err;
      diagnostics.error(err.message, err.options.detail, err.options.path);
      return { api: new GantryClient({ baseUrl: "http://invalid", token: "" }), url: "" };
    }
  },
  resources: {
    spacelift_space: space,
    spacelift_stack: spaceliftStack,
    spacelift_context: context,
    spacelift_context_attachment: spaceliftContextAttachment,
    spacelift_environment_variable: spaceliftEnvironmentVariable,
    spacelift_mounted_file: spaceliftMountedFile,
    spacelift_policy: spaceliftPolicy,
    spacelift_policy_attachment: spaceliftPolicyAttachment,
    spacelift_aws_integration: spaceliftAwsIntegration,
    spacelift_aws_integration_attachment: spaceliftAwsIntegrationAttachment,
    spacelift_module: spaceliftModule,
    spacelift_stack_dependency: stackDependency,
    spacelift_stack_dependency_reference: stackDependencyReference,
    spacelift_drift_detection: driftDetection,
    spacelift_run: spaceliftRun,
    spacelift_webhook: spaceliftWebhook,
    spacelift_named_webhook: namedWebhook,
    spacelift_worker_pool: spaceliftWorkerPool,
    spacelift_scheduled_task: scheduledTask,
    spacelift_scheduled_delete_stack: scheduledDeleteStack,
    spacelift_stack_destructor: stackDestructor,
  },
  dataSources: spaceliftDataSources,
});
