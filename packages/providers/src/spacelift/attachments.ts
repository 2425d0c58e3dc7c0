import { attr } from "@gantry/tfplugin";
import { awsIntegrationAttachment } from "../gantry/resources/aws-integration.js";
import { environmentVariable, mountedFile } from "../gantry/resources/config-element.js";
import { contextAttachment } from "../gantry/resources/context.js";
import { policyAttachment } from "../gantry/resources/policy.js";
import { alias } from "./alias.js";
import type { Unsupported } from "./ignored.js";

/**
 * Spacelift attaches policies, contexts, integrations and configuration to a stack or a module
 * (`stack_id` or `module_id`); Gantry attaches them to stacks, and modules get policies and
 * contexts through `autoattach:` labels.
 */
const moduleOwner: Unsupported = { effect: "refuse", why: "Gantry attaches to stacks only: set stack_id, or reach modules with an autoattach: label on the policy or context." };
const stackOrModule = {
  stack_id: attr.string({ optional: true, requiresReplace: true }),
  module_id: attr.string({ optional: true, requiresReplace: true }),
};

function needsStack(config: Record<string, unknown>, diagnostics: { error(s: string, d?: string, p?: (string | number)[]): void }) {
  if ((config.stack_id === null || config.stack_id === undefined) && (config.module_id === null || config.module_id === undefined)) {
    diagnostics.error("stack_id is required", "set stack_id to the stack to attach to", ["stack_id"]);
  }
}

export const spaceliftPolicyAttachment = alias(policyAttachment, { fields: stackOrModule, unsupported: { module_id: moduleOwner }, validate: needsStack });

export const spaceliftContextAttachment = alias(contextAttachment, { fields: stackOrModule, unsupported: { module_id: moduleOwner }, validate: needsStack });

export const spaceliftAwsIntegrationAttachment = alias(awsIntegrationAttachment, {
  fields: { ...stackOrModule, attachment_id: attr.string({ computed: true, useStateForUnknown: true, description: "the attachment's id (<stack id>/<integration id>)" }) },
  unsupported: { module_id: moduleOwner },
  validate: needsStack,
  fromGantry: (state) => ({ ...state, ...(typeof state.id === "string" ? { attachment_id: state.id } : {}) }),
});

const description: Unsupported = { effect: "warn", why: "Gantry keeps no description on environment variables and mounted files." };

export const spaceliftEnvironmentVariable = alias(environmentVariable, {
  fields: {
    module_id: attr.string({ optional: true, requiresReplace: true }),
    description: attr.string({ optional: true }),
    value_wo_version: attr.string({ optional: true, description: "change it to send a new value_wo" }),
  },
  unsupported: { module_id: moduleOwner, description },
});

export const spaceliftMountedFile = alias(mountedFile, {
  fields: { module_id: attr.string({ optional: true, requiresReplace: true }), description: attr.string({ optional: true }) },
  unsupported: { module_id: moduleOwner, description },
});
