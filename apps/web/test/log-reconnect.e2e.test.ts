/**
 * A server restart while a run page is open: the page's log stream drops, reconnects with the
 * last line it saw (Last-Event-ID), and shows every line exactly once, in order. The run is driven
 * through the real worker protocol by hand, so lines can be written before and after the restart.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/src/config.js";
import { startServer, type RunningServer } from "../../server/src/server.js";
import { protocolWorker } from "../../server/test/worker-protocol.js";
import type { TestServer } from "../../server/test/harness.js";
import { ensureWebBuild, launchChromium, logInThroughPage } from "./browser.js";

describe("run page across a server restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-web-restart-"));
  let server: RunningServer;
  let browser: Browser;
  let config: ReturnType<typeof loadConfig>;

  /** The harness's TestServer shape over a server started here, for the protocol worker. */
  function asTestServer(s: RunningServer, key: string): TestServer {
    return {
      server: s, url: s.url, adminKey: key, dataDir, databaseUrl: "", admin: new GantryClient({ baseUrl: s.url, token: key }),
      client: (token) => new GantryClient({ baseUrl: s.url, token }),
      async raw(method, path, init = {}) {
        const headers: Record<string, string> = { ...init.headers };
        if (init.token) headers.authorization = `Bearer ${init.token}`;
        if (init.body !== undefined) headers["content-type"] ??= "application/json";
        const res = await fetch(s.url + path, { method, headers, body: init.body });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : undefined };
      },
      stop: () => s.close(),
    };
  }

  beforeAll(async () => {
    ensureWebBuild();
    const encryptionKey = randomBytes(32).toString("base64");
    config = loadConfig({ argv: { port: 0, dataDir, databaseUrl: join(dataDir, "gantry.db"), encryptionKey }, env: {} });
    server = await startServer(config, { log: pino({ level: "silent" }) });
    // The restarted server must answer at the same address the page's EventSource reconnects to.
    config = loadConfig({ argv: { port: Number(new URL(server.url).port), dataDir, databaseUrl: join(dataDir, "gantry.db"), encryptionKey }, env: {} });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("reconnects with Last-Event-ID and misses no line", async () => {
    const key = server.adminApiKey!;
    let t = asTestServer(server, key);
    await t.admin.call("createStack", { body: { id: "restarted", name: "restarted", repository: "/srv/infra.git" } });
    const run = await t.admin.call("createRun", { params: { id: "restarted" }, body: { type: "PROPOSED" } });
    let worker = await protocolWorker(t);
    const job = await worker.claimRun(run.id);
    await worker.report(job, "INITIALIZING");
    const append = async (from: number, to: number) => {
      for (let i = from; i <= to; i++) {
        const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/logs`, { token: job.runToken, body: JSON.stringify({ phase: "INITIALIZING", text: `line-${String(i).padStart(3, "0")}\n` }) });
        expect(res.status).toBe(204);
      }
    };
    await append(1, 20);

    const page = await (await browser.newContext()).newPage();
    await logInThroughPage(page, t.url, { apiKey: key });
    await page.goto(`${t.url}/stacks/restarted/runs/${run.id}`);
    const log = page.getByRole("log", { name: "run log" });
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain("line-020");
    await append(21, 25);
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain("line-025");

    await server.close();
    await expect.poll(() => page.getByRole("heading", { name: /^Log/ }).textContent(), { timeout: 20_000 }).toContain("reconnecting");
    server = await startServer(config, { log: pino({ level: "silent" }) });
    t = asTestServer(server, key);
    worker = await protocolWorker(t);
    // Lines written while the page was cut off, then after it is back.
    await worker.heartbeat([run.id]);
    await append(26, 40);
    await expect.poll(() => page.getByRole("heading", { name: /^Log/ }).textContent(), { timeout: 30_000 }).toContain("live");
    await append(41, 50);
    await worker.report(job, "FAILED", { note: "done streaming" });
    await expect.poll(() => page.getByRole("heading", { name: /^Log/ }).textContent(), { timeout: 30_000 }).toContain("ended");

    // Every line once and in order: read them from the page's rows (the view is windowed, so
    // scroll to the top first; 50 lines fit in the window's overscan).
    await log.evaluate((el) => { el.scrollTop = 0; });
    const lines = (await log.locator(".line").allTextContents()).filter((l) => l.startsWith("line-"));
    expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => `line-${String(i + 1).padStart(3, "0")}`));
  }, 180_000);
});
