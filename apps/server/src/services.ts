import { tmpdir } from "node:os";
import { join } from "node:path";
import { attachmentService } from "./attachments/service.js";
import { auditService } from "./audit/service.js";
import { configElementService } from "./config-elements/service.js";
import { contextService } from "./contexts/service.js";
import type { Core } from "./core.js";
import { awsIntegrationService } from "./integrations/service.js";
import { OidcIssuer, type IssuerSettings } from "./oidc/issuer.js";
import { oidcService } from "./oidc/service.js";
import { policyService, type PolicyChecker } from "./policies/service.js";
import { RunEngine } from "./runs/engine.js";
import { RunEvents } from "./runs/events.js";
import { stackLockService } from "./runs/lock-service.js";
import { runService } from "./runs/service.js";
import { stateService } from "./state/service.js";
import { spaceService } from "./spaces/service.js";
import { stackService } from "./stacks/service.js";
import { userService } from "./users/service.js";
import { workerPoolService } from "./workers/pool-service.js";
import { workerProtocolService } from "./workers/protocol-service.js";
import type { PolicyEngine } from "./policy-engine/index.js";
import { vcsIntegrationService } from "./vcs/integrations/service.js";
import { vcsService } from "./vcs/service.js";

/** Every domain service, built once from the core. */
export function buildServices(core: Core, opts: { sessionTtlHours: number; checkPolicy?: PolicyChecker; heartbeatIntervalMs?: number; policyEngine?: PolicyEngine; vcsMirrorDir?: string; oidc: IssuerSettings }) {
  const runEngine = new RunEngine(core, new RunEvents());
  const issuer = new OidcIssuer(core, opts.oidc);
  const runs = runService(runEngine, opts.policyEngine);
  return {
    runEngine,
    workerProtocol: workerProtocolService(runEngine, { heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 5_000, policyEngine: opts.policyEngine, issuer }),
    runs,
    vcs: vcsService({ engine: runEngine, runs, policyEngine: opts.policyEngine, mirrorDir: opts.vcsMirrorDir ?? join(tmpdir(), "gantry-vcs-mirrors") }),
    vcsIntegrations: vcsIntegrationService(core),
    stackLocks: stackLockService(core),
    state: stateService(runEngine),
    workerPools: workerPoolService(core),
    spaces: spaceService(core),
    stacks: stackService(core),
    contexts: contextService(core),
    policies: policyService(core, opts.checkPolicy),
    integrations: awsIntegrationService(core),
    attachments: attachmentService(core),
    config: configElementService(core),
    users: userService(core, { sessionTtlHours: opts.sessionTtlHours }),
    audit: auditService(core),
    oidc: oidcService(core, issuer),
  };
}

export type Services = ReturnType<typeof buildServices>;
