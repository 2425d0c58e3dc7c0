import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { isAbsolute, join, resolve } from "node:path";
import pino, { type Logger } from "pino";
import type { ServerConfig } from "./config.js";
import { verifyEncryptionKey } from "./crypto/key-check.js";
import { SecretBox } from "./crypto/secret-box.js";
import { migrate, openStore } from "./db/connect.js";
import { buildApp } from "./http/app.js";
import { mountHealth } from "./http/health.js";
import { registerRateLimits } from "./http/rate-limit.js";
import type { PolicyChecker } from "./policies/service.js";
import { buildServices } from "./services.js";
import type { PolicyEngine } from "./policy-engine/index.js";
import { regoEngine } from "./policy-engine/rego-engine.js";
import type { RunEngine } from "./runs/engine.js";
import { pgRelaySubsystem } from "./runs/pg-relay.js";
import { mountRunEngineRoutes } from "./runs/routes.js";
import { SubsystemRunner } from "./subsystems/runner.js";
import type { SubsystemStatus } from "./subsystems/subsystem.js";
import { reaperSubsystem } from "./workers/reaper.js";
import { vcsFeedbackSubsystem } from "./vcs/feedback/service.js";
import { vcsPollerSubsystem } from "./vcs/poller.js";
import { mountGithubWebhook } from "./vcs/webhook-routes.js";

export const VERSION = "0.1.0";

export interface RunningServer {
  url: string;
  /** The admin API key, only on the first start of a fresh data directory. */
  adminApiKey: string | null;
  dataDir: string;
  log: Logger;
  /** Mints a token of the built-in worker pool, for the in-process worker of `gantry up`. */
  mintWorkerToken(): Promise<string>;
  /** The run engine, for tests that drive the reaper by hand. */
  runEngineForTests?: RunEngine;
  /** Drives the VCS poller and waits for GitHub feedback, for tests. */
  vcsForTests?: { pollNow(): Promise<void>; feedbackIdle(): Promise<void> };
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
}

/** Starts the API server: opens and migrates the store, bootstraps the admin on first start, listens. */
export async function startServer(config: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? pino({ level: config.logLevel, redact: ["req.headers.authorization", "*.password", "*.secret", "*.token"] });
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
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
  const core = { db: store.db, dialect: store.dialect, box, log };
  const heartbeatTimeoutMs = config.workerHeartbeatTimeoutSeconds * 1000;
  const services = buildServices(core, {
    sessionTtlHours: config.sessionTtlHours,
    checkPolicy: opts.checkPolicy,
    policyEngine: opts.policyEngine ?? regoEngine(),
    // Often enough that a stop reaches a silent process within seconds, whatever the timeout.
    heartbeatIntervalMs: Math.max(1000, Math.min(5000, Math.floor(heartbeatTimeoutMs / 4))),
    vcsMirrorDir: join(dataDir, "vcs-mirrors"),
  });
  const adminApiKey = (await services.users.bootstrap()) ?? null;
  if (adminApiKey) {
    const file = join(dataDir, "admin-api-key");
    writeFileSync(file, adminApiKey + "\n", { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const app = buildApp({ db: store.db, services, log, version: VERSION });
  let subsystemStatus: () => SubsystemStatus[] = () => [];
  mountHealth(app, store.db, VERSION, () => subsystemStatus());
  await registerRateLimits(app, { login: config.rateLimitLoginPerMinute, webhooks: config.rateLimitWebhooksPerMinute, state: config.rateLimitStatePerMinute });
  mountRunEngineRoutes(app, store.db, services);
  mountGithubWebhook(app, services.vcs);
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  // Background work, in start order (stopped in reverse). Exclusive ones run on one replica.
  const background = new SubsystemRunner({ log, postgresUrl: postgres ? dbUrl : undefined });
  if (postgres) background.add(pgRelaySubsystem(dbUrl, store.db, services.runEngine.events));
  background.add(reaperSubsystem(services.runEngine, { heartbeatTimeoutMs, intervalMs: Math.max(500, Math.floor(heartbeatTimeoutMs / 4)) }));
  const vcsPoller = vcsPollerSubsystem(services.vcs.deps, config.vcsPollSeconds);
  if (config.vcsPollSeconds > 0) background.add(vcsPoller);
  const vcsFeedback = vcsFeedbackSubsystem(core, services.runEngine.events, { baseUrl: () => url });
  background.add(vcsFeedback);
  background.start();
  subsystemStatus = () => background.status();
  log.info({ url, database: store.dialect }, "gantry server listening");
  return {
    url,
    adminApiKey,
    dataDir,
    log,
    mintWorkerToken: () => services.workerPools.issueBuiltInWorkerToken(),
    runEngineForTests: services.runEngine,
    vcsForTests: { pollNow: () => vcsPoller.runNow(), feedbackIdle: () => vcsFeedback.idle() },
    subsystems: () => background.status(),
    async close() {
      await app.close();
      await background.stop();
      await store.close();
    },
  };
}
