/**
 * Per-IP rate limits on login, webhooks, the state backend and the module registry: the request past the budget gets
 * 429 in the error envelope with Retry-After, other areas keep their own budget, and a limit of
 * 0 turns an area's limit off.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../src/index.js";

describe("per-IP rate limits", () => {
  let server: RunningServer;
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-rate-"));
  beforeAll(async () => {
    const config = loadConfig({ argv: { port: 0, dataDir, rateLimitLoginPerMinute: 3, rateLimitWebhooksPerMinute: 2, rateLimitStatePerMinute: 0, rateLimitRegistryPerMinute: 2 }, env: {} });
    server = await startServer(config, { log: pino({ level: "silent" }) });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const login = () => fetch(`${server.url}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: "wrong-password-here" }) });

  it("answers 429 in the envelope with Retry-After once an IP's login budget is spent", async () => {
    for (let i = 0; i < 3; i++) expect((await login()).status).toBe(401);
    const refused = await login();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
    expect(body.error.code).toBe("too_many_requests");
    expect(body.error.message).toContain("too many login requests from 127.0.0.1: at most 3 a minute");
    expect(body.error.details).toMatchObject({ area: "login", limitPerMinute: 3 });
    // The rest of the API is not limited by the login budget.
    expect((await fetch(`${server.url}/api/v1/stacks`, { headers: { authorization: `Bearer ${server.adminApiKey}` } })).status).toBe(200);
  });

  it("counts webhooks on their own budget, and never limits an area set to 0", async () => {
    const hook = () => fetch(`${server.url}/webhooks/github`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect((await hook()).status).not.toBe(429);
    expect((await hook()).status).not.toBe(429);
    const third = await hook();
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBeTruthy();
    for (let i = 0; i < 10; i++) expect((await fetch(`${server.url}/state/nope`)).status).not.toBe(429);
  });

  it("limits the module registry on its own budget, counting requests authentication refuses (guessed tokens)", async () => {
    const versions = () => fetch(`${server.url}/v1/modules/acme/vpc/aws/versions`, { headers: { authorization: "Bearer guessed-token" } });
    expect((await versions()).status).toBe(401);
    expect((await versions()).status).toBe(401);
    const third = await versions();
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { details: { area: string } } }).error.details.area).toBe("registry");
  });
});
