/**
 * The HTTP layer's edges, on both dialects: refusals raised before a handler runs still answer
 * in the one envelope with a matching status, page cursors are checked, and one authentication
 * hook reads credentials the same way on every route family.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, type TestServer } from "./harness.js";

type Envelope = { error: { code: string; message: string; details?: { issues?: { path: unknown[] }[] } } };

describe.each(dialects)("HTTP edges (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    await t.admin.call("createStack", { body: { id: "edge", name: "edge", repository: "https://git.example.com/x.git", enableLocalPreview: true } });
  });
  afterAll(() => t?.stop());

  /** Raw request whose answer must be JSON in the envelope. */
  async function refused(method: string, path: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {}) {
    const res = await fetch(t.url + path, { method, headers: { authorization: `Bearer ${t.adminKey}`, ...init.headers }, body: init.body });
    const text = await res.text();
    let json: unknown;
    expect(() => (json = JSON.parse(text)), `body of ${method} ${path} is JSON: ${text.slice(0, 200)}`).not.toThrow();
    expect(json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    return { status: res.status, body: json as Envelope };
  }

  it("refuses a garbage page cursor with 400 naming the parameter", async () => {
    for (const path of ["/api/v1/stacks?cursor=%25%25%25%25zzz", "/api/v1/stacks?cursor=%%%%zzz", "/api/v1/audit-events?cursor=a%20b", "/api/v1/stacks/edge/runs?cursor=%3Cx%3E"]) {
      const r = await refused("GET", path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
      expect(r.body.error.message).toContain("cursor");
      expect(r.body.error.details?.issues?.[0]?.path).toEqual(["cursor"]);
    }
    // A cursor the server handed out still works.
    const page = await t.admin.call("listAuditEvents", { query: { limit: 1 } });
    expect(page.nextCursor).not.toBeNull();
    await t.admin.call("listAuditEvents", { query: { limit: 1, cursor: page.nextCursor! } });
  });

  it("answers framework-level refusals in the envelope with a matching status", async () => {
    const long = await refused("GET", `/api/v1/stacks/${"x".repeat(10_000)}`);
    expect(long).toMatchObject({ status: 414, body: { error: { code: "uri_too_long" } } });
    // An id longer than Fastify's default 100-character limit but within the contract's is just not found.
    expect(await refused("GET", `/api/v1/stacks/${"x".repeat(200)}`)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });

    const media = await refused("POST", "/api/v1/stacks/edge/local-preview", { headers: { "content-type": "application/gzip" }, body: Buffer.from([0x1f, 0x8b, 0, 0]) });
    expect(media).toMatchObject({ status: 415, body: { error: { code: "unsupported_media_type" } } });
    expect(media.body.error.message).toContain("application/json");

    const big = await refused("POST", "/api/v1/stacks", { headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "big", repository: "r", description: "x".repeat(9 * 1024 * 1024) }) });
    expect(big).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });

    const malformed = await refused("POST", "/api/v1/stacks", { headers: { "content-type": "application/json" }, body: "{name:" });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });

    const badEncoding = await refused("GET", "/api/v1/stacks/%E0%A4%A");
    expect(badEncoding).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });

    const badLength = await fetch(t.url + "/api/v1/stacks?limit=abc", { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(badLength.status).toBe(400);
  });

  it("reads the bearer scheme case-insensitively on every route family, and refuses the same way without one", async () => {
    const poolToken = await t.server.mintWorkerToken();
    const run = await t.admin.call("createRun", { params: { id: "edge" }, body: { type: "PROPOSED" } });
    for (const scheme of ["Bearer", "bearer", "BEARER"]) {
      const api = await fetch(`${t.url}/api/v1/me`, { headers: { authorization: `${scheme} ${t.adminKey}` } });
      expect(api.status, `api with ${scheme}`).toBe(200);
      const worker = await fetch(`${t.url}/api/v1/worker/register`, { method: "POST", headers: { authorization: `${scheme} ${poolToken}`, "content-type": "application/json" }, body: JSON.stringify({ name: `w-${scheme}` }) });
      expect(worker.status, `worker protocol with ${scheme}`).toBe(200);
      const state = await fetch(`${t.url}/state/edge`, { headers: { authorization: `${scheme} ${t.adminKey}` } });
      expect(state.status, `state backend with ${scheme}`).toBe(204);
      const ac = new AbortController();
      const stream = await fetch(`${t.url}/api/v1/runs/${run.id}/logs/stream`, { headers: { authorization: `${scheme} ${t.adminKey}` }, signal: ac.signal });
      expect(stream.status, `log stream with ${scheme}`).toBe(200);
      ac.abort();
    }
    for (const [method, path] of [["GET", "/api/v1/me"], ["POST", "/api/v1/worker/register"], ["GET", "/state/edge"], ["GET", `/api/v1/runs/${run.id}/logs/stream`], ["POST", `/api/v1/worker/runs/${run.id}/logs`]]) {
      const r = await refused(method!, path!, { headers: { authorization: "Token nope" } });
      expect(r, `${method} ${path}`).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
    }
    await t.admin.call("cancelRun", { params: { id: run.id } });
  });
});
