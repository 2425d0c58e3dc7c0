import { endpoints, errorStatus, type Endpoint, type ErrorCode } from "@gantry/contract";
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { authenticateBearer } from "../auth/authenticate-bearer.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { databaseUnavailableReason } from "../db/availability.js";
import { constraintKind } from "../db/rows.js";
import { AppError } from "../errors.js";
import type { Services } from "../services.js";
import { handlers, type Handler } from "./handlers.js";
import { openApiDocument } from "./openapi.js";
import { parsePart } from "./validate.js";

const anonymous: Principal = { kind: "user", id: "anonymous", name: "anonymous", bindings: [] };

function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown) {
  return reply.status(errorStatus[code]).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
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
  const e = err as { statusCode?: number; code?: string; message?: string };
  const unavailable = databaseUnavailableReason(err);
  if (unavailable) {
    log.warn({ err, url: req.url, method: req.method }, "request failed: database unavailable");
    void reply.header("retry-after", "5");
    return sendError(reply, "unavailable", unavailable);
  }
  if (e.statusCode === 413) return sendError(reply, "payload_too_large", "request body is too large");
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return sendError(reply, "bad_request", e.message ?? "bad request");
  log.error({ err, url: req.url, method: req.method }, "request failed");
  return sendError(reply, "internal", "internal error: the server logged the details");
}

export interface AppOptions {
  db: Db;
  services: Services;
  log: Logger;
  version: string;
}

/** The HTTP server: every endpoint of the contract and the OpenAPI document (health routes: see health.ts). */
export function buildApp({ db, services, log, version }: AppOptions) {
  const app = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 8 * 1024 * 1024 });
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
  const impl = handlers(services) as Record<string, Handler<Endpoint>>;
  const openapi = openApiDocument(version);

  app.setErrorHandler((err, req, reply) => toEnvelope(err, req, reply, log));
  app.setNotFoundHandler((req, reply) => sendError(reply, "not_found", `no route ${req.method} ${req.url.split("?")[0]}: see /api/v1/openapi.json`));
  app.addHook("onResponse", (req, reply, done) => {
    req.log.debug({ method: req.method, url: req.url.split("?")[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
    done();
  });

  app.get("/api/v1/openapi.json", async () => openapi);

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
      handler: async (req, reply) => {
        let actor = anonymous;
        const auth = req.headers.authorization;
        // Public endpoints (login) ignore credentials, so a stale token cannot block logging in.
        if (e.access.kind !== "public") {
          const token = /^bearer\s+/i.test(auth ?? "") ? auth!.replace(/^bearer\s+/i, "").trim() : undefined;
          if (!token) throw new AppError("unauthenticated", "authentication required: send an API key or session token as 'Authorization: Bearer <token>'");
          actor = await authenticateBearer(db, token);
        }
        const params = parsePart(e.params, req.params, "params");
        const query = parsePart(e.query, req.query, "query");
        const body = parsePart(e.body, req.body, "body");
        const result = await handler({ actor, params, query, body } as never);
        reply.status(e.status ?? 200);
        return e.response ? result : reply.send();
      },
    });
  }
  return app;
}
