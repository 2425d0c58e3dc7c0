import { timingSafeEqual } from "node:crypto";
import { credentialOf } from "../auth/request-authentication.js";
import type { buildApp } from "../http/app.js";
import type { ProtocolOperation } from "../http/openapi.js";
import type { GantryMetrics } from "./registry.js";

const loopback = (addr: string | undefined) => !!addr && (addr === "::1" || addr.startsWith("127.") || addr.startsWith("::ffff:127."));

function sameToken(given: string, want: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics` in Prometheus' text format. With `GANTRY_METRICS_TOKEN` set, a scraper sends it
 * as a bearer token; without one, only callers on this machine (loopback) are answered, which is
 * what `gantry up` needs and what a production server exposing nothing by accident wants.
 * Errors use the API's one envelope.
 */
export function mountMetrics(app: ReturnType<typeof buildApp>, metrics: GantryMetrics, opts: { token?: string }): void {
  app.addHook("onResponse", (req, reply, done) => {
    const route = req.routeOptions.url ?? "unmatched";
    if (route !== "/metrics") metrics.observeHttp(req.method, route, reply.statusCode, reply.elapsedTime);
    done();
  });
  // `public` to the authentication hook: this route checks its own scraper token.
  app.get("/metrics", { config: { auth: "public" } }, async (req, reply) => {
    if (opts.token) {
      const token = credentialOf(req.headers.authorization) ?? "";
      if (!sameToken(token, opts.token)) {
        return reply.status(401).send({ error: { code: "unauthenticated", message: "metrics need the token the operator configured (GANTRY_METRICS_TOKEN): send it as 'Authorization: Bearer <token>'", details: null } });
      }
    } else if (!loopback(req.socket.remoteAddress)) {
      return reply.status(403).send({ error: { code: "forbidden", message: "metrics are served only to this machine unless GANTRY_METRICS_TOKEN is set: configure a token for remote scrapers", details: null } });
    }
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

/** `/metrics` in the OpenAPI document. */
export const metricsOperations: ProtocolOperation[] = [
  {
    method: "get",
    path: "/metrics",
    operation: {
      operationId: "metrics", tags: ["metrics"], summary: "Prometheus metrics (text format): the GANTRY_METRICS_TOKEN as a bearer token, or from this machine when no token is set", security: [{ bearer: [] }],
      responses: { "200": { description: "metrics in Prometheus' text exposition format", content: { "text/plain": { schema: { type: "string" } } } } },
    },
  },
];
