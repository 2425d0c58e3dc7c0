import { attachmentService } from "./attachments/service.js";
import { auditService } from "./audit/service.js";
import { configElementService } from "./config-elements/service.js";
import { contextService } from "./contexts/service.js";
import type { Core } from "./core.js";
import { awsIntegrationService } from "./integrations/service.js";
import { policyService, type PolicyChecker } from "./policies/service.js";
import { spaceService } from "./spaces/service.js";
import { stackService } from "./stacks/service.js";
import { userService } from "./users/service.js";

/** Every domain service, built once from the core. */
export function buildServices(core: Core, opts: { sessionTtlHours: number; checkPolicy?: PolicyChecker }) {
  return {
    spaces: spaceService(core),
    stacks: stackService(core),
    contexts: contextService(core),
    policies: policyService(core, opts.checkPolicy),
    integrations: awsIntegrationService(core),
    attachments: attachmentService(core),
    config: configElementService(core),
    users: userService(core, { sessionTtlHours: opts.sessionTtlHours }),
    audit: auditService(core),
  };
}

export type Services = ReturnType<typeof buildServices>;
