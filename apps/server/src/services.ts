import { tmpdir } from "node:os";
import { join } from "node:path";
import { attachmentService } from "./attachments/service.js";
import { auditService } from "./audit/service.js";
import { configElementService } from "./config-elements/service.js";
import { contextService } from "./contexts/service.js";
import { dependencyDispatcherSubsystem, installDependencyHooks } from "./dependencies/dispatcher.js";
import { dependencyService } from "./dependencies/service.js";
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
import { loginGate } from "./users/login-gate.js";
import { userService } from "./users/service.js";
import { triggerService } from "./triggers/service.js";
import { workerPoolService } from "./workers/pool-service.js";
import { workerProtocolService } from "./workers/protocol-service.js";
import type { PolicyEngine } from "./policy-engine/index.js";
import { vcsIntegrationService } from "./vcs/integrations/service.js";
import { vcsService } from "./vcs/service.js";
import { overviewService } from "./overview/service.js";
import { viewService } from "./views/service.js";
import { driftOutcome } from "./drift/outcome.js";
import { driftService } from "./drift/service.js";
import { scheduleOutcome } from "./schedules/runner.js";
import { scheduleService } from "./schedules/service.js";
import { inboxService } from "./notifications/inbox-service.js";
import { slackService } from "./notifications/slack-service.js";
import { webhookService } from "./notifications/webhook-service.js";
import { moduleService } from "./modules/service.js";
import { modulePublisher } from "./modules/publish.js";
import { moduleConsumers } from "./modules/consumers.js";
import { runProviderPins } from "./providers/run-pins.js";
import { publishImpact } from "./modules/impact.js";
import { missedReactionsSubsystem, versionActivation } from "./modules/activation.js";
import { modulePushHandler } from "./modules/vcs-push.js";
import { moduleTestRunner } from "./modules/test-runs.js";
import type { RegistrySettings } from "./modules/rows.js";
import { policyExplainService } from "./runs/policy-explain.js";
import { providerService } from "./providers/service.js";
import { registryTokenService } from "./registry/token-service.js";

/** Every domain service, built once from the core. */
export function buildServices(core: Core, opts: { sessionTtlHours: number; checkPolicy?: PolicyChecker; heartbeatIntervalMs?: number; policyEngine?: PolicyEngine; vcsMirrorDir?: string; clock?: () => Date; oidc: IssuerSettings; registry?: RegistrySettings; runTimeLimitSeconds?: number }) {
  const runEngine = new RunEngine(core, new RunEvents());
  const gate = loginGate(core);
  const issuer = new OidcIssuer(core, opts.oidc);
  const mirrorDir = opts.vcsMirrorDir ?? join(tmpdir(), "gantry-vcs-mirrors");
  const runs = runService(runEngine, opts.policyEngine, { mirrorDir });
  const clock = opts.clock ?? (() => new Date());
  // Set by the server once its drift scheduler and schedule runner exist (see server.ts).
  const wake = { drift: () => {}, schedules: () => {} };
  runEngine.onSettled.push(driftOutcome(runEngine, runs), scheduleOutcome(clock, () => wake.schedules()));
  // Rung when something new is in the notification outbox; the server points it at the deliverer.
  const notificationBell = { ring: () => {} };
  // Registered on the background runner by server.ts; the engine wakes it when an upstream run ends.
  const dependencyDispatcher = dependencyDispatcherSubsystem(runEngine, runs);
  installDependencyHooks(runEngine, () => dependencyDispatcher.wake());
  const triggers = triggerService(runEngine, runs);
  // The registry's address is known once the server listens (server.ts fills it in).
  const registry: RegistrySettings = opts.registry ?? { host: "127.0.0.1", aliases: [], httpsUrl: null, caCertificatePem: null, archiveMaxBytes: 100 * 1024 * 1024 };
  // A version with test cases stays PENDING until its TESTING runs settle it (see modules/test-runs.ts).
  // An ACTIVE version (at publish, or when its tests pass) triggers its consumers and TRIGGER policies.
  const reactToActiveVersion = versionActivation(core, publishImpact(runEngine, runs), clock);
  const moduleTests = moduleTestRunner(runEngine, runs, (versionId) => reactToActiveVersion(versionId));
  runEngine.onSettled.push(moduleTests.settled);
  const publisher = modulePublisher({ core, blobs: runEngine.blobs, registry, mirrorDir, onActive: reactToActiveVersion, onTestsRecorded: moduleTests.queue });
  return {
    registry,
    modulePublisher: publisher,
    missedModuleReactions: missedReactionsSubsystem(core, reactToActiveVersion, clock),
    modules: moduleService(core, { registry, publisher }),
    moduleConsumers: moduleConsumers(core, registry),
    providers: providerService(core, { registry, blobs: runEngine.blobs }),
    registryTokens: registryTokenService(core),
    providerPins: runProviderPins(core.db),
    notificationBell,
    webhooks: webhookService(core, { wakeDeliverer: () => notificationBell.ring() }),
    slack: slackService(core),
    inbox: inboxService(core),
    runEngine,
    clock,
    wake,
    drift: driftService({ engine: runEngine, runs, clock, scheduleChanged: () => wake.drift() }),
    schedules: scheduleService({ core, clock, scheduleChanged: () => wake.schedules() }),
    dependencyDispatcher,
    dependencies: dependencyService(runEngine, runs),
    workerProtocol: workerProtocolService(runEngine, { heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 5_000, policyEngine: opts.policyEngine, issuer, registry, runTimeLimitSeconds: opts.runTimeLimitSeconds ?? 7200 }),
    runs,
    policyExplain: policyExplainService(core, opts.policyEngine),
    triggers,
    vcs: vcsService({ engine: runEngine, runs, policyEngine: opts.policyEngine, mirrorDir, modulePush: modulePushHandler(core, publisher) }),
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
    users: userService(core, { sessionTtlHours: opts.sessionTtlHours, gate }),
    loginGate: gate,
    audit: auditService(core),
    overview: overviewService(core),
    views: viewService(runEngine),
    oidc: oidcService(core, issuer),
  };
}

export type Services = ReturnType<typeof buildServices>;
