import type { Span } from "@opentelemetry/api";
import { SpanStatusCode } from "@opentelemetry/api";
import type { Tracing } from "@gantry/telemetry";
import type { buildApp } from "../http/app.js";

const spans = new WeakMap<object, Span>();

/**
 * A server span per HTTP request (`GET /api/v1/stacks/:id`, named by route so spans group), with
 * the method, route, status and, for run routes, the run id: a run's requests can be found from
 * its trace. Nothing is hooked when tracing is off.
 */
export function traceHttpRequests(app: ReturnType<typeof buildApp>, tracing: Tracing): void {
  if (!tracing.enabled) return;
  app.addHook("onRequest", (req, _reply, done) => {
    const route = req.routeOptions.url ?? "unmatched";
    const runId = (req.params as Record<string, string> | undefined)?.["id"];
    const span = tracing.startRequestSpan(`${req.method} ${route}`, {
      "http.request.method": req.method,
      "http.route": route,
      ...(runId && route.includes("/runs/") ? { "gantry.run.id": runId } : {}),
    });
    if (span) spans.set(req.raw, span);
    done();
  });
  app.addHook("onResponse", (req, reply, done) => {
    const span = spans.get(req.raw);
    if (span) {
      span.setAttribute("http.response.status_code", reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
