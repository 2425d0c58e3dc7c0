/**
 * OpenTelemetry end to end: a server and a worker configured with an OTLP endpoint send a run's
 * life as one trace (its root span, a span per state, the policy evaluation, the worker's steps
 * running the real terraform) plus a span per HTTP request, to a collector stand-in that checks
 * each export as an OTLP/HTTP JSON receiver would.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraceIds } from "@gantry/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, waitForRun } from "./fixtures.js";

interface ExportedSpan { service: string; traceId: string; spanId: string; parentSpanId: string; name: string; start: bigint; end: bigint; attributes: Record<string, unknown> }

/** Accepts `POST /v1/traces` with an OTLP JSON body, refusing what a collector refuses; keeps the spans. */
async function collectorStandIn() {
  const spans: ExportedSpan[] = [];
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const refuse = (status: number, why: string) => {
        refused.push(why);
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code: 3, message: why }));
      };
      if (req.method !== "POST" || req.url !== "/v1/traces") return refuse(404, `${req.method} ${req.url}`);
      if (!String(req.headers["content-type"]).startsWith("application/json")) return refuse(415, `content-type ${req.headers["content-type"]}`);
      let body: { resourceSpans?: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return refuse(400, "body is not JSON");
      }
      if (!Array.isArray(body.resourceSpans)) return refuse(400, "no resourceSpans");
      for (const rs of body.resourceSpans) {
        const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "";
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            const { traceId, spanId, name, startTimeUnixNano, endTimeUnixNano } = s as Record<string, string>;
            if (!/^[0-9a-f]{32}$/.test(traceId ?? "") || !/^[0-9a-f]{16}$/.test(spanId ?? "") || !name) return refuse(400, `malformed span ${JSON.stringify(s)}`);
            const attributes = Object.fromEntries(((s.attributes ?? []) as { key: string; value: Record<string, unknown> }[]).map((a) => [a.key, Object.values(a.value)[0]]));
            spans.push({ service, traceId: traceId!, spanId: spanId!, parentSpanId: String(s.parentSpanId ?? ""), name: name!, start: BigInt(startTimeUnixNano!), end: BigInt(endTimeUnixNano!), attributes });
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, refused, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("OpenTelemetry traces of a run's life", () => {
  let collector: Awaited<ReturnType<typeof collectorStandIn>>;
  let t: TestServer;
  let worker: RunningWorker;
  beforeAll(async () => {
    collector = await collectorStandIn();
    t = await startTestServer("sqlite", { settings: { otlpTracesEndpoint: collector.url } });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-otel-")), otlpTracesEndpoint: collector.url });
    await worker.ready;
  });
  afterAll(async () => {
    await collector?.close();
  });

  it("sends one trace per run across server and worker, and a span per request", async () => {
    const repo = makeRepo();
    const s = await t.admin.call("createStack", { body: { name: "traced", repository: repo.path, manageState: false, labels: ["traced"] } });
    await t.admin.call("createPolicy", { body: { name: "warn-all", type: "PLAN", labels: ["autoattach:traced"], body: 'package spacelift\nimport rego.v1\nwarn contains "looked at it"' } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: s.id }, body: { type: "PROPOSED" } })).id);
    expect(run.state, run.failureReason ?? "").toBe("FINISHED");
    // Stopping flushes what each process still buffers.
    await worker.stop();
    await t.stop();
    expect(collector.refused).toEqual([]);

    const { traceId, spanId: rootId } = runTraceIds(run.id);
    const inRun = collector.spans.filter((x) => x.traceId === traceId);
    const root = inRun.find((x) => x.spanId === rootId);
    expect(root?.name).toBe(`run ${run.id}`);
    expect(root?.service).toBe("gantry-server");
    expect(root?.attributes["gantry.run.state"]).toBe("FINISHED");
    const names = (service: string) => inRun.filter((x) => x.service === service && x.parentSpanId === rootId).map((x) => x.name);
    expect(names("gantry-server")).toEqual(expect.arrayContaining(["state QUEUED", "state READY", "state PREPARING", "state INITIALIZING", "state PLANNING", "policy PLAN warn-all"]));
    expect(names("gantry-worker")).toEqual(expect.arrayContaining(["worker plan", "terraform init", "terraform plan", "terraform show"]));
    // Every span of the run lies within the run's root span.
    for (const x of inRun) {
      expect(x.start >= root!.start - 1_000_000n, x.name).toBe(true);
      expect(x.end <= root!.end + 1_000_000_000n, x.name).toBe(true);
    }
    const queued = inRun.find((x) => x.name === "state QUEUED")!;
    expect(queued.attributes["gantry.run.next_state"]).toBe("READY");
    const request = collector.spans.find((x) => x.name === "POST /api/v1/stacks/:id/runs");
    expect(request?.attributes["http.response.status_code"]).toBe(201);
  });
});
