import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Tracing } from "@gantry/telemetry";
import { traceHttpRequests } from "./telemetry/http-spans.js";
import { randomBytes } from "node:crypto";
import { isAbsolute, join, resolve } from "node:path";
import pino, { type Logger } from "pino";
import type { ServerConfig } from "./config.js";
import { verifyEncryptionKey } from "./crypto/key-check.js";
import { SecretBox } from "./crypto/secret-box.js";
import { migrate, openStore } from "./db/connect.js";
import { buildApp } from "./http/app.js";
import { browserSessionOperations } from "./http/browser-session.js";
import { registerRateLimits } from "./http/rate-limit.js";
import type { PolicyChecker } from "./policies/service.js";
import { buildServices } from "./services.js";
import type { IssuerSettings, OidcIssuer } from "./oidc/issuer.js";
import { ensureSigningKeys } from "./oidc/keys.js";
import type { PolicyEngine } from "./policy-engine/index.js";
import { regoEngine } from "./policy-engine/rego-engine.js";
import type { RunEngine } from "./runs/engine.js";
import { pgRelaySubsystem } from "./runs/pg-relay.js";
import { mountRunEngineRoutes, runEngineOperations } from "./runs/routes.js";
import { driftSchedulerSubsystem } from "./drift/scheduler.js";
import { scheduleRunnerSubsystem } from "./schedules/runner.js";
import type { PeriodicSubsystem } from "./subsystems/periodic.js";
import { SubsystemRunner } from "./subsystems/runner.js";
import { registryTokenSweeperSubsystem } from "./registry/token-sweeper.js";
import type { SubsystemStatus } from "./subsystems/subsystem.js";
import { reaperSubsystem } from "./workers/reaper.js";
import { vcsFeedbackSubsystem } from "./vcs/feedback/service.js";
import { vcsPollerSubsystem } from "./vcs/poller.js";
import { mountGithubWebhook, webhookOperations } from "./vcs/webhook-routes.js";
import { GantryMetrics } from "./metrics/registry.js";
import { metricsOperations, mountMetrics } from "./metrics/route.js";
import { parseCidrList } from "./notifications/cidr.js";
import { OutboundGuard } from "./notifications/outbound-guard.js";
import { notificationSubsystem, type NotificationSubsystem } from "./notifications/subsystem.js";
import type { RegistrySettings } from "./modules/rows.js";
import { listenHttps } from "./registry/https-listener.js";
import { moduleRegistryOperations, mountModuleRegistry } from "./registry/routes.js";
import { mountProviderRegistry, providerRegistryOperations } from "./registry/provider-routes.js";
import { publishShippedProviders } from "./providers/shipped.js";
import { mountRegistryLogin, registryLoginOperations } from "./registry/login-v1.js";

export const VERSION = "0.1.0";

/** How long a shutdown waits for in-flight requests before cutting their connections. */
const CLOSE_GRACE_MS = 5000;

export interface RunningServer {
  url: string;
  /** The HTTPS URL (module registry), when the server serves HTTPS. */
  httpsUrl: string | null;
  /** The registry's address and trust: its host, aliases and the local CA's certificate. */
  registry: RegistrySettings;
  /** The admin API key, only on the first start of a fresh data directory. */
  adminApiKey: string | null;
  dataDir: string;
  log: Logger;
  /** Mints a token of the built-in worker pool, for the in-process worker of `gantry up`. */
  mintWorkerToken(): Promise<string>;
  /** The run token issuer, for the benchmark of minting. */
  oidcIssuerForTests?: OidcIssuer;
  /** The run engine, for tests that drive the reaper by hand. */
  runEngineForTests?: RunEngine;
  /** Runs one round of the drift scheduler or the schedule runner now, for tests (with an injected clock). */
  schedulesForTests?: { drift: PeriodicSubsystem; schedules: PeriodicSubsystem };
  /** Every route the HTTP server mounted (method, path), for the OpenAPI completeness test. */
  routesForTests?: { method: string; url: string }[];
  /** Drives the VCS poller and waits for GitHub feedback, for tests. */
  vcsForTests?: { pollNow(): Promise<void>; feedbackIdle(): Promise<void> };
  /** The notification deliverer, for tests and benchmarks that wait for the outbox to drain. */
  notificationsForTests?: Pick<NotificationSubsystem, "drained" | "wake">;
  /** Runs a round of the dependency dispatcher now, for tests. */
  dependencyDispatcherForTests?: { runNow(): Promise<void> };
  /** Deletes expired registry tokens and those of ended runs now. */
  registryTokenSweeperForTests?: { runNow(): Promise<void> };
  /** Reacts to ACTIVE module versions whose reaction a stopped server never ran. */
  missedModuleReactionsForTests?: { runNow(): Promise<void> };
  /** The background subsystems of this replica and their state. */
  subsystems(): SubsystemStatus[];
  close(): Promise<void>;
}

/**
 * Embedded mode keeps its encryption key next to the database. With PostgreSQL, replicas must
 * share one key, so it has to come from configuration.
 */
function encryptionKey(config: ServerConfig, dataDir: string, postgres: boolean): Buffer {
  if (config.encryptionKey) return Buffer.from(config.encryptionKey, "base64");
  if (postgres) throw new Error("GANTRY_ENCRYPTION_KEY is required with PostgreSQL, since every replica must share it (generate one with: openssl rand -base64 32)");
  const file = join(dataDir, "encryption.key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
}

export interface StartOptions {
  checkPolicy?: PolicyChecker;
  /** The engine for run policies (default: Gantry's own Rego engine). */
  policyEngine?: PolicyEngine;
  /** A logger to use instead of one built from the configuration (tests pass a silent one). */
  log?: Logger;
  /** The clock schedules are read with (tests inject one to make a schedule due without waiting). */
  clock?: () => Date;
}

/** Starts the API server: opens and migrates the store, bootstraps the admin on first start, listens. */
export async function startServer(config: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? pino({ level: config.logLevel, redact: ["req.headers.authorization", "*.password", "*.secret", "*.token"] });
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // mkdir's mode passes through the umask and leaves an existing directory as it was.
  chmodSync(dataDir, 0o700);
  const dbUrl = config.databaseUrl ?? join(dataDir, "gantry.db");
  const postgres = /^postgres(ql)?:\/\//.test(dbUrl);
  const box = new SecretBox(encryptionKey(config, dataDir, postgres));
  const store = openStore(postgres || isAbsolute(dbUrl) ? dbUrl : resolve(dbUrl));
  try {
    await migrate(store.db);
    await verifyEncryptionKey(store.db, box);
  } catch (err) {
    await store.close();
    throw err;
  }
  const metrics = new GantryMetrics(store.db, store.pgPool);
  const policyEngine = metrics.meteredEngine(opts.policyEngine ?? regoEngine());
  const tracing = Tracing.start({ endpoint: config.otlpTracesEndpoint, headers: config.otlpHeaders, serviceName: "gantry-server" });
  const outboundGuard = new OutboundGuard(parseCidrList(config.outboundAllow));
  const core = { db: store.db, dialect: store.dialect, box, log, policyEngine, tracing, outboundGuard };
  const heartbeatTimeoutMs = config.workerHeartbeatTimeoutSeconds * 1000;
  // The issuer defaults to the address the server listens on, known once it listens (below).
  const oidc: IssuerSettings = { issuer: config.oidcIssuer ?? config.publicUrl ?? "http://127.0.0.1", signingAlgorithm: config.oidcSigningAlgorithm, tokenTtlSeconds: config.oidcTokenTtlSeconds };
  try {
    await ensureSigningKeys(core);
  } catch (err) {
    await store.close();
    throw err;
  }
  const registry: RegistrySettings = {
    host: config.registryHost ?? config.host,
    aliases: config.registryHostAliases.split(",").map((h) => h.trim()).filter(Boolean),
    httpsUrl: null,
    caCertificatePem: null,
    archiveMaxBytes: config.moduleArchiveMaxBytes,
  };
  const services = buildServices(core, {
    registry,
    sessionTtlHours: config.sessionTtlHours,
    checkPolicy: opts.checkPolicy,
    policyEngine,
    // Often enough that a stop reaches a silent process within seconds, whatever the timeout.
    heartbeatIntervalMs: Math.max(1000, Math.min(5000, Math.floor(heartbeatTimeoutMs / 4))),
    vcsMirrorDir: join(dataDir, "vcs-mirrors"),
    clock: opts.clock,
    oidc,
    runTimeLimitSeconds: config.runTimeLimitSeconds,
  });
  const adminApiKey = (await services.users.bootstrap()) ?? null;
  if (adminApiKey) {
    const file = join(dataDir, "admin-api-key");
    writeFileSync(file, adminApiKey + "\n", { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  let subsystemStatus: () => SubsystemStatus[] = () => [];
  const app = buildApp({
    db: store.db, services, log, version: VERSION,
    protocolOperations: () => [...runEngineOperations, ...webhookOperations, ...browserSessionOperations, ...metricsOperations, ...moduleRegistryOperations, ...providerRegistryOperations, ...registryLoginOperations],
    subsystems: () => subsystemStatus(),
  });
  await registerRateLimits(app, { login: config.rateLimitLoginPerMinute, webhooks: config.rateLimitWebhooksPerMinute, state: config.rateLimitStatePerMinute, registry: config.rateLimitRegistryPerMinute });
  mountRunEngineRoutes(app, store.db, services);
  mountGithubWebhook(app, services.vcs);
  mountMetrics(app, metrics, { token: config.metricsToken });
  traceHttpRequests(app, tracing);
  mountModuleRegistry(app, { db: store.db, blobs: services.runEngine.blobs, settings: registry, signingKey: box.derive("module-archive-urls") });
  mountRegistryLogin(app, { db: store.db, gate: services.loginGate });
  mountProviderRegistry(app, { db: store.db, blobs: services.runEngine.blobs, settings: registry, signingKey: box.derive("provider-download-urls") });
  try {
    await publishShippedProviders(core, services.providers, services.runEngine.blobs, config.shippedProvidersDir, log);
  } catch (err) {
    await store.close();
    throw err;
  }
  await app.listen({ port: config.port, host: config.host });
  // HTTPS beside the http port (which the CLI, provider and health checks keep using).
  const https = config.httpsPort === undefined ? null : await listenHttps(app.server, config, dataDir, registry).catch(async (err: unknown) => {
    await app.close();
    await store.close();
    throw err;
  });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  if (!config.oidcIssuer && !config.publicUrl) oidc.issuer = url;
  // Background work, in start order (stopped in reverse). Exclusive ones run on one replica.
  const background = new SubsystemRunner({ log, postgresUrl: postgres ? dbUrl : undefined });
  if (postgres) background.add(pgRelaySubsystem(dbUrl, store.db, services.runEngine.events));
  background.add(reaperSubsystem(services.runEngine, { heartbeatTimeoutMs, intervalMs: Math.max(500, Math.floor(heartbeatTimeoutMs / 4)) }));
  const vcsPoller = vcsPollerSubsystem(services.vcs.deps, config.vcsPollSeconds);
  if (config.vcsPollSeconds > 0) background.add(vcsPoller);
  const vcsFeedback = vcsFeedbackSubsystem(core, services.runEngine.events, { baseUrl: () => url });
  background.add(vcsFeedback);
  const driftScheduler = driftSchedulerSubsystem(services.runEngine, services.runs, { clock: services.clock });
  const scheduleRunner = scheduleRunnerSubsystem(services.runEngine, services.runs, { clock: services.clock });
  services.wake.drift = () => driftScheduler.wake();
  services.wake.schedules = () => scheduleRunner.wake();
  background.add(driftScheduler);
  background.add(scheduleRunner);
  const notifications = notificationSubsystem({
    core, policyEngine, baseUrl: () => url, metrics,
    guard: outboundGuard,
    policy: { maxAttempts: config.notifyMaxAttempts, backoffMs: config.notifyBackoffSeconds * 1000, timeoutMs: 10_000 },
  });
  background.add(notifications);
  services.notificationBell.ring = () => notifications.wake();
  // A transition made here wakes the deliverer at once; others' arrive within its interval.
  services.runEngine.events.onRunChanged(() => notifications.wake());
  background.add(services.dependencyDispatcher);
  const registryTokenSweeper = registryTokenSweeperSubsystem(store.db, services.clock);
  background.add(registryTokenSweeper);
  background.add(services.missedModuleReactions);
  background.start();
  subsystemStatus = () => background.status();
  log.info({ url, database: store.dialect, oidcIssuer: oidc.issuer }, "gantry server listening");
  return {
    url,
    httpsUrl: registry.httpsUrl,
    registry,
    adminApiKey,
    dataDir,
    log,
    mintWorkerToken: () => services.workerPools.issueBuiltInWorkerToken(),
    runEngineForTests: services.runEngine,
    schedulesForTests: { drift: driftScheduler, schedules: scheduleRunner },
    routesForTests: app.mountedRoutes,
    oidcIssuerForTests: services.oidc.issuer,
    vcsForTests: { pollNow: () => vcsPoller.runNow(), feedbackIdle: () => vcsFeedback.idle() },
    notificationsForTests: notifications,
    dependencyDispatcherForTests: services.dependencyDispatcher,
    registryTokenSweeperForTests: registryTokenSweeper,
    missedModuleReactionsForTests: services.missedModuleReactions,
    subsystems: () => background.status(),
    async close() {
      // In-flight requests get a few seconds to finish; then connections still open are cut (a
      // client that hung up halfway would otherwise hold the shutdown for the keep-alive timeout).
      const cut = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      await https?.close();
      await app.close().finally(() => clearTimeout(cut));
      await background.stop();
      await tracing.shutdown().catch((err: unknown) => log.warn({ err }, "tracing: the last spans could not be sent"));
      await store.close();
    },
  };
}
