import { endpoints, errorStatus, type Endpoint, type ErrorCode } from "@gantry/contract";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { installRateLimitHook } from "./rate-limit.js";
import { installAuthentication, userOf, type RouteAuth } from "../auth/request-authentication.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { databaseUnavailableReason } from "../db/availability.js";
import { constraintKind } from "../db/rows.js";
import { AppError } from "../errors.js";
import type { Services } from "../services.js";
import { handlers, type Handler } from "./handlers.js";
import { browserSessionRoutes } from "./browser-session.js";
import { openApiDocument, type ProtocolOperation } from "./openapi.js";
import { parsePart } from "./validate.js";
import { findWebDist, webUi } from "./web-ui.js";
import { healthRoutes } from "./health.js";
import type { SubsystemStatus } from "../subsystems/subsystem.js";

/** A route as mounted: method and Fastify path (`:param`). */
export interface MountedRoute {
  method: string;
  url: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route mounted on the app, in every plugin: what the OpenAPI completeness test walks. */
    mountedRoutes: MountedRoute[];
  }
}

const anonymous: Principal = { kind: "user", id: "anonymous", name: "anonymous", bindings: [] };

function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown) {
  return reply.status(errorStatus[code]).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/**
 * Fastify's own refusals (raised before a handler runs) in the envelope, with the status that
 * matches: a body too large, a media type no route parses, a URL parameter too long, a bad
 * URL encoding. Messages are Gantry's: Fastify's may quote the request.
 */
function frameworkError(err: unknown, req: FastifyRequest): { code: ErrorCode; message: string } | undefined {
  const e = err as { statusCode?: number; code?: string };
  const type = String(req.headers["content-type"] ?? "none");
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { code: "payload_too_large", message: "request body is too large for this endpoint: send a smaller one" };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { code: "unsupported_media_type", message: `content-type ${JSON.stringify(type.slice(0, 100))} is not accepted here: send application/json (see /api/v1/openapi.json)` };
    case "FST_ERR_MAX_PARAM_LENGTH":
      return { code: "uri_too_long", message: "a path parameter is longer than any id Gantry issues (1024 characters): check the URL" };
    case "FST_ERR_BAD_URL":
      return { code: "bad_request", message: "the URL is not validly percent-encoded: encode path parameters with encodeURIComponent" };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { code: "bad_request", message: "the body is empty but content-type says JSON: send a JSON document or no content-type" };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { code: "bad_request", message: "content-length does not match the body sent" };
  }
  if (e.statusCode === 413) return { code: "payload_too_large", message: "request body is too large: send a smaller one" };
  if (e.statusCode === 414) return { code: "uri_too_long", message: "the URL is too long" };
  if (e.statusCode === 415) return { code: "unsupported_media_type", message: `content-type ${JSON.stringify(type.slice(0, 100))} is not accepted here` };
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return { code: "bad_request", message: "the request is malformed (rejected before reaching Gantry's handler): check the method, URL, headers and body" };
  return undefined;
}

/** Maps anything thrown while serving a request to the one error envelope. */
function toEnvelope(err: unknown, req: FastifyRequest, reply: FastifyReply, log: Logger) {
  if (err instanceof AppError) {
    const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retry !== undefined) void reply.header("retry-after", String(retry));
    return sendError(reply, err.code, err.message, err.details);
  }
  // Constraint violations the services did not anticipate (a concurrent change won the race).
  const constraint = constraintKind(err);
  if (constraint === "unique") return sendError(reply, "already_exists", "it already exists (a concurrent request created it): read it and retry if needed");
  if (constraint === "foreign_key") return sendError(reply, "conflict", "something it refers to was changed or deleted concurrently: retry the request");
  const unavailable = databaseUnavailableReason(err);
  if (unavailable) {
    log.warn({ err, url: req.url, method: req.method }, "request failed: database unavailable");
    void reply.header("retry-after", "5");
    return sendError(reply, "unavailable", unavailable);
  }
  const framework = frameworkError(err, req);
  if (framework) return sendError(reply, framework.code, framework.message);
  log.error({ err, url: req.url, method: req.method }, "request failed");
  return sendError(reply, "internal", "internal error: the server logged the details");
}

/** The routes buildApp mounts beside the endpoint table. */
const serviceOperations: ProtocolOperation[] = [
  { method: "get", path: "/healthz", operation: { operationId: "health", tags: ["service"], summary: "liveness: the process answers HTTP (restart it only if this fails)", responses: { "200": { description: "alive" } } } },
  { method: "get", path: "/readyz", operation: { operationId: "ready", tags: ["service"], summary: "readiness: the database is reachable and its migrations are current; lists the background subsystems", responses: { "200": { description: "ready" }, "503": { description: "not ready: the database is away or its schema is not this version's (error envelope with the reason)" } } } },
  { method: "get", path: "/api/v1/openapi.json", operation: { operationId: "openApiDocument", tags: ["service"], summary: "this document", responses: { "200": { description: "the OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } } } } },
];

export interface AppOptions {
  db: Db;
  services: Services;
  log: Logger;
  version: string;
  /** The built web UI to serve at `/` (default: found above this module; null: none). */
  webDist?: string | null;
  /** Routes mounted outside the endpoint table (worker protocol, state backend, ...), for the OpenAPI document. */
  protocolOperations?: () => ProtocolOperation[];
  /** The background subsystems' status, listed by `/readyz` (which replica holds the exclusive ones). */
  subsystems?: () => SubsystemStatus[];
}

/** The HTTP server: every endpoint of the contract, `/healthz`, `/readyz` and the OpenAPI document. */
export function buildApp({ db, services, log, version, protocolOperations = () => [], subsystems = () => [], webDist = findWebDist() }: AppOptions) {
  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 8 * 1024 * 1024,
    // Above any id the contract accepts (256), so a long id reaches validation and gets its field named.
    routerOptions: { maxParamLength: 1024 },
    // Routing failures (bad percent-encoding, a path parameter over maxParamLength) in the envelope too.
    frameworkErrors: (err, req, reply) => toEnvelope(err, req, reply, log),
  });
  app.decorate("mountedRoutes", [] as MountedRoute[]);
  app.addHook("onRoute", (r) => {
    for (const method of [r.method].flat()) app.mountedRoutes.push({ method, url: r.url });
  });
  installRateLimitHook(app);
  installAuthentication(app, db, services.loginGate);
  // An empty body counts as no body, so DELETE and POST without one work whatever content-type is sent.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
    const body = String(text);
    if (body.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch (err) {
      // Only the position: the parser's message quotes the body, which may hold a secret.
      const at = /position (\d+)/.exec((err as Error).message)?.[1];
      done(new AppError("bad_request", `request body is not valid JSON${at ? ` (at byte ${at})` : ""}: send a JSON document`), undefined);
    }
  });
  // Sets and clears the browser session cookies (reading them is the authentication hook's job).
  void app.register(fastifyCookie);
  const impl = handlers(services) as Record<string, Handler<Endpoint>>;
  let openapi: Record<string, unknown> | undefined;

  app.setErrorHandler((err, req, reply) => toEnvelope(err, req, reply, log));
  const ui = webUi(webDist);
  if (ui.staticFiles) void app.register(fastifyStatic, ui.staticFiles);
  void app.register(browserSessionRoutes(db, services));
  app.setNotFoundHandler((req, reply) => (ui.pageFallback(req, reply) ? reply : sendError(reply, "not_found", `no route ${req.method} ${req.url.split("?")[0]}: see /api/v1/openapi.json`)));
  app.addHook("onResponse", (req, reply, done) => {
    req.log.debug({ method: req.method, url: req.url.split("?")[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
    done();
  });

  const pub = { config: { auth: "public" as RouteAuth } };
  void app.register(healthRoutes(db, version, subsystems));
  // Built on first request, once every module has mounted its routes.
  app.get("/api/v1/openapi.json", pub, async () => (openapi ??= openApiDocument(version, [...serviceOperations, ...protocolOperations()])));

  for (const [name, e] of Object.entries(endpoints) as [string, Endpoint][]) {
    const handler: Handler<Endpoint> | undefined = e.notYet
      ? () => {
          throw new AppError("not_supported", `${e.notYet}: this Gantry version does not have the capability`);
        }
      : impl[name];
    if (!handler) throw new Error(`endpoint ${name} has no handler`);
    app.route({
      method: e.method,
      url: e.path.replace(/\{(\w+)\}/g, ":$1"),
      ...(e.bodyLimit ? { bodyLimit: e.bodyLimit } : {}),
      config: { auth: e.access.kind === "public" ? "public" : "user" },
      handler: async (req, reply) => {
        const actor = e.access.kind === "public" ? anonymous : userOf(req);
        const params = parsePart(e.params, req.params, "params");
        const query = parsePart(e.query, req.query, "query");
        const body = parsePart(e.body, req.body, "body");
        const result = await handler({ actor, params, query, body } as never);
        reply.status(e.status ?? 200);
        if (e.cacheControl) void reply.header("cache-control", e.cacheControl);
        return e.response ? result : reply.send();
      },
    });
  }
  return app;
}
