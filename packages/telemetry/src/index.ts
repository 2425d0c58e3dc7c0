/**
 * OpenTelemetry traces for the server and the worker, off unless an OTLP endpoint is configured.
 *
 * A run's life is one trace whatever process touches it: its trace id and root span id are
 * derived from the run id, so the server's state spans and policy evaluations and the worker's
 * phase spans join the same trace without passing context around (a run outlives requests and
 * moves between processes). The root span itself ("run <id>", from creation to the terminal
 * state) is emitted by whoever ends the run, with that derived span id.
 *
 * The provider is not registered globally: several servers can share a process (tests), each
 * with its own exporter.
 */
import { createHash, randomBytes } from "node:crypto";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

export interface TracingSettings {
  /** OTLP/HTTP traces URL (e.g. `http://collector:4318/v1/traces`); tracing is off without it. */
  endpoint?: string | null;
  /** `service.name` of the spans: `gantry-server` or `gantry-worker`. */
  serviceName: string;
  serviceVersion?: string;
  /** Extra headers for the collector (e.g. an auth token), as `key=value,key2=value2`. */
  headers?: string | null;
}

/** The ids every process derives for a run's trace and its root span. */
export function runTraceIds(runId: string): { traceId: string; spanId: string } {
  const h = createHash("sha256").update(`gantry-run:${runId}`).digest("hex");
  return { traceId: h.slice(0, 32), spanId: h.slice(32, 48) };
}

/**
 * Random ids, except for the one span whose ids are set just before it starts (a run's root).
 * Each id is taken once, in whatever order the SDK asks for them.
 */
class RunAwareIds implements IdGenerator {
  private traceId: string | undefined;
  private spanId: string | undefined;
  set next(ids: { traceId: string; spanId: string }) {
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
  }
  generateTraceId(): string {
    const id = this.traceId;
    this.traceId = undefined;
    return id ?? randomBytes(16).toString("hex");
  }
  generateSpanId(): string {
    const id = this.spanId;
    this.spanId = undefined;
    return id ?? randomBytes(8).toString("hex");
  }
}

/** `key=value,key2=value2`; a malformed pair is refused (its value is not repeated: it may be a credential). */
function parseHeaders(raw: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  raw.split(",").forEach((pair, n) => {
    const i = pair.indexOf("=");
    if (i <= 0 || !pair.slice(0, i).trim()) throw new Error(`OTLP headers: entry ${n + 1} is not key=value (e.g. authorization=Bearer abc,x-team=platform)`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  });
  return out;
}

const toTime = (t: Date | number) => (typeof t === "number" ? t : t.getTime());

export class Tracing {
  private constructor(
    private readonly provider: BasicTracerProvider | null,
    private readonly tracer: Tracer | null,
    private readonly ids: RunAwareIds | null,
  ) {}

  /** Tracing that records nothing (no endpoint configured). */
  static readonly off = new Tracing(null, null, null);

  static start(settings: TracingSettings): Tracing {
    if (!settings.endpoint) return Tracing.off;
    const ids = new RunAwareIds();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName, ...(settings.serviceVersion ? { [ATTR_SERVICE_VERSION]: settings.serviceVersion } : {}) }),
      idGenerator: ids,
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint, headers: parseHeaders(settings.headers) }), { scheduledDelayMillis: 2000 })],
    });
    return new Tracing(provider, provider.getTracer("gantry"), ids);
  }

  get enabled(): boolean {
    return this.tracer !== null;
  }

  /** The context whose spans belong to a run's trace (children of its root span). */
  runContext(runId: string): Context {
    const { traceId, spanId } = runTraceIds(runId);
    return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  }

  /** Records a finished span of a run (a state it spent time in, a policy evaluation) with known times. */
  recordRunSpan(runId: string, name: string, start: Date | number, end: Date | number, attributes: Attributes = {}, error?: string): void {
    if (!this.tracer) return;
    const span = this.tracer.startSpan(name, { startTime: toTime(start), attributes: { "gantry.run.id": runId, ...attributes } }, this.runContext(runId));
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end(toTime(end));
  }

  /** Runs `fn` inside a span of the run's trace (a worker phase), ending it with `fn`'s outcome. */
  async inRunSpan<T>(runId: string, name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
    if (!this.tracer) return fn();
    const span = this.tracer.startSpan(name, { attributes: { "gantry.run.id": runId, ...attributes } }, this.runContext(runId));
    try {
      return await fn();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  }

  /** Emits a run's root span, from its creation to its terminal state, with the derived ids. */
  endRun(runId: string, createdAt: Date | number, endedAt: Date | number, attributes: Attributes = {}, error?: string): void {
    if (!this.tracer || !this.ids) return;
    // Synchronous from here to startSpan: no other span can take the ids in between.
    this.ids.next = runTraceIds(runId);
    const span = this.tracer.startSpan(`run ${runId}`, { root: true, kind: SpanKind.INTERNAL, startTime: toTime(createdAt), attributes: { "gantry.run.id": runId, ...attributes } });
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end(toTime(endedAt));
  }

  /** Starts a server span for an HTTP request; the caller ends it. */
  startRequestSpan(name: string, attributes: Attributes): Span | null {
    return this.tracer ? this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }) : null;
  }

  /** Sends what is buffered and stops: call on shutdown, or nothing recorded in the last seconds leaves. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }
}
