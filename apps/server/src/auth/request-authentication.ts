import type { FastifyRequest } from "fastify";
import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import { authenticate } from "../users/authenticate.js";
import { authenticatePool, authenticateRun, type PoolCredential } from "../workers/credentials.js";
import { authenticateBearer } from "./authenticate-bearer.js";
import { authenticateRegistryToken, REGISTRY_TOKEN_PREFIX } from "../registry/registry-tokens.js";
import type { LoginGate } from "../users/login-gate.js";
import type { Principal } from "./principal.js";
import { CREDENTIAL_REQUIRED, requestCredential } from "./request-credentials.js";

/**
 * Which credential a route takes. Every mounted route declares one in its `config.auth`; the one
 * hook below resolves it before the body is read, so no handler parses `Authorization` itself.
 * - `public`: none (login, health, the OpenAPI document); credentials sent are ignored, so a
 *   stale token cannot block logging in.
 * - `signature`: the handler checks a signature over the raw body (VCS webhooks).
 * - `user`: an API key, session or run API token (the public API, live logs), as a bearer token
 *   or the web UI's session cookie (`request-credentials.ts`).
 * - `pool`: a worker-pool token (register, claim, heartbeat).
 * - `run`: the run token a worker got with its job (reports, logs, artifacts).
 * - `state`: terraform's HTTP backend: a run token or a person's API key, as Bearer or as the
 *   Basic password (TF_HTTP_PASSWORD).
 * - `registry`: terraform's registry protocols: a registry token (a run's, written into its CLI
 *   config, or a person's from `terraform login`) or a person's API key, as Bearer (the
 *   `credentials` block or `TF_TOKEN_<host>`). Registry tokens open nothing else.
 */
export type RouteAuth = "public" | "signature" | "user" | "pool" | "run" | "state" | "registry";

export type Caller =
  | { kind: "none" }
  | { kind: "user"; principal: Principal }
  | { kind: "pool"; pool: PoolCredential }
  | { kind: "run"; run: RunsTable };

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    caller: Caller;
  }
}

/**
 * The secret an `Authorization` header carries. Schemes are case-insensitive (RFC 9110 11.1),
 * so `bearer`, `Bearer` and `BEARER` are the same; Basic is read only where terraform sends it.
 */
export function credentialOf(header: string | undefined, allowBasic = false): string | undefined {
  const m = /^([A-Za-z]+)[ \t]+(\S.*)$/.exec(header?.trim() ?? "");
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme === "bearer") return m[2]!.trim();
  if (scheme !== "basic" || !allowBasic) return undefined;
  const decoded = Buffer.from(m[2]!, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i >= 0 && i < decoded.length - 1 ? decoded.slice(i + 1) : undefined;
}

const needUser = "authentication required: send an API key or session token as 'Authorization: Bearer <token>'";

async function resolve(db: Db, auth: RouteAuth, req: FastifyRequest, gate?: LoginGate): Promise<Caller> {
  switch (auth) {
    case "public":
    case "signature":
      return { kind: "none" };
    case "user": {
      // A bearer token, or the web UI's session cookie (with its CSRF proof on changes).
      const credential = requestCredential(req);
      if (!credential) throw new AppError("unauthenticated", CREDENTIAL_REQUIRED);
      return { kind: "user", principal: await authenticateBearer(db, credential.token, gate) };
    }
    case "pool":
      return { kind: "pool", pool: await authenticatePool(db, credentialOf(req.headers.authorization)) };
    case "run":
      return { kind: "run", run: await authenticateRun(db, credentialOf(req.headers.authorization)) };
    case "registry": {
      const secret = credentialOf(req.headers.authorization);
      if (!secret) throw new AppError("unauthenticated", "Gantry's registry needs a token: runs get one in their CLI config; people add `credentials \"<host>\" { token = \"<API key>\" }` to their CLI config, or run `terraform login <host>`");
      // A run's CLI config holds its registry token (grt_, registry-only); the run token (gnr_)
      // is still taken from older workers.
      if (secret.startsWith(REGISTRY_TOKEN_PREFIX)) return authenticateRegistryToken(db, secret);
      if (secret.startsWith("gnr_")) return { kind: "run", run: await authenticateRun(db, secret) };
      const principal = await authenticate(db, secret, gate);
      if (!principal) throw new AppError("unauthenticated", "the registry token is not valid: use a current API key, or run `terraform login <host>`");
      return { kind: "user", principal };
    }
    case "state": {
      const secret = credentialOf(req.headers.authorization, true);
      if (!secret) throw new AppError("unauthenticated", "the state backend needs credentials: runs get them injected (TF_HTTP_PASSWORD); people use an API key as the password");
      if (secret.startsWith("gnr_")) return { kind: "run", run: await authenticateRun(db, secret) };
      const principal = await authenticate(db, secret, gate);
      if (!principal) throw new AppError("unauthenticated", "the state backend credentials are not valid: use a current API key");
      return { kind: "user", principal };
    }
  }
}

/**
 * Installs the one authentication hook (`gate`: the LOGIN policies, applied to API-key use). It runs on every request before the body is parsed;
 * a route without a declared `config.auth` fails closed, so a new route cannot be mounted open
 * by forgetting it.
 */
export function installAuthentication(app: { decorateRequest(name: "caller", value: null): unknown; addHook(name: "onRequest", hook: (req: FastifyRequest) => Promise<void>): unknown }, db: Db, gate?: LoginGate): void {
  app.decorateRequest("caller", null);
  app.addHook("onRequest", async (req) => {
    req.caller = { kind: "none" };
    if (req.is404) return;
    const auth = req.routeOptions.config.auth;
    if (!auth) throw new AppError("internal", `route ${req.method} ${req.routeOptions.url} declares no authentication (config.auth): refusing it`);
    req.caller = await resolve(db, auth, req, gate);
  });
}

/** The authenticated person (or administrative run) of a `user` route. */
export function userOf(req: FastifyRequest): Principal {
  if (req.caller.kind !== "user") throw new AppError("unauthenticated", needUser);
  return req.caller.principal;
}

/** The run whose token authenticated a `run` route. */
export function runOf(req: FastifyRequest): RunsTable {
  if (req.caller.kind !== "run") throw new AppError("unauthenticated", "this call needs the run's token (gnr_...), handed to the worker with the job");
  return req.caller.run;
}

/** The worker pool whose token authenticated a `pool` route. */
export function poolOf(req: FastifyRequest): PoolCredential {
  if (req.caller.kind !== "pool") throw new AppError("unauthenticated", "the worker protocol needs a worker-pool token (gwp_...) as 'Authorization: Bearer <token>'");
  return req.caller.pool;
}
