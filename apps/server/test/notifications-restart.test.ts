/**
 * The outbox survives a restart: a receiver down for the first 3 attempts gets the 4th, made by
 * a new server process after the old one stopped between attempts. Also: a receiver that hangs
 * costs one attempt after the 10 s timeout and never holds up a run.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, dialects } from "./harness.js";
import { loadConfig, startServer, type RunningServer } from "../src/index.js";
import { verifySignature, webhookReceiver } from "./receivers.js";

const secret = "restart-proof-secret-0123456789";

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(dialects)("notification outbox across a restart (%s)", (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-notify-restart-"));
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("delivers on the 4th attempt after a restart between attempts", async () => {
    const receiver = await webhookReceiver();
    const databaseUrl = dialect === "postgres" ? await createPostgresDatabase() : join(dataDir, "gantry.db");
    // Backoff 0.4 s: attempts at ~0, 0.4, 1.2, 2.8 s.
    const config = loadConfig({ argv: { port: 0, dataDir, databaseUrl, encryptionKey: randomBytes(32).toString("base64"), outboundAllow: "127.0.0.0/8", notifyBackoffSeconds: 0.4 }, env: {} });
    server = await startServer(config, { log: pino({ level: "silent" }) });
    const key = server.adminApiKey!;
    let admin = new GantryClient({ baseUrl: server.url, token: key });
    const stack = await admin.call("createStack", { body: { name: "restarted", repository: "/srv/x.git" } });
    const hook = await admin.call("createWebhook", { body: { name: "down-then-up", stackId: stack.id, endpoint: receiver.url, secret } });
    receiver.failNext(3, 502);
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "PROPOSED" } });
    // Only the QUEUED and READY events exist; wait until the first delivery has failed twice.
    await until("two failed attempts", async () => {
      const d = await admin.call("listWebhookDeliveries", { params: { id: hook.id } });
      const first = d.items.at(-1);
      return first && first.attempts.length >= 2 && first.attempts.every((a) => a.status === "error");
    });
    await server.close();
    server = await startServer(config, { log: pino({ level: "silent" }) });
    admin = new GantryClient({ baseUrl: server.url, token: key });
    const settled = await until("both deliveries delivered", async () => {
      const d = await admin.call("listWebhookDeliveries", { params: { id: hook.id } });
      return d.items.length === 2 && d.items.every((x) => x.status === "DELIVERED") && d.items;
    });
    const attempts = settled.flatMap((d) => d.attempts).sort((a, b) => a.at.localeCompare(b.at));
    expect(attempts.map((a) => a.status)).toEqual(["error", "error", "error", "ok", "ok"]);
    expect(attempts.slice(0, 3).map((a) => a.responseCode)).toEqual([502, 502, 502]);
    expect(receiver.received.map((r) => r.json.state).sort()).toEqual(["QUEUED", "READY"]);
    for (const r of receiver.received) {
      expect(verifySignature(Buffer.from(secret), r)).toBe(true);
      expect((r.json.run as { id: string }).id).toBe(run.id);
    }
    await receiver.close();
  }, 60_000);
});

describe("a receiver that hangs (sqlite)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-notify-hang-"));
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("times out after 10 s as one failed attempt, while runs go on", async () => {
    const receiver = await webhookReceiver();
    const config = loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64"), outboundAllow: "127.0.0.0/8", notifyBackoffSeconds: 0.1 }, env: {} });
    server = await startServer(config, { log: pino({ level: "silent" }) });
    const admin = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
    const stack = await admin.call("createStack", { body: { name: "slow-receiver", repository: "/srv/x.git" } });
    const hook = await admin.call("createWebhook", { body: { name: "hangs", stackId: stack.id, endpoint: receiver.url } });
    receiver.hangNext(1);
    const started = Date.now();
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "PROPOSED" } });
    await admin.call("cancelRun", { params: { id: run.id } });
    // The run's own API calls never wait for the receiver.
    expect(Date.now() - started).toBeLessThan(5_000);
    const settled = await until("all deliveries delivered", async () => {
      const d = await admin.call("listWebhookDeliveries", { params: { id: hook.id } });
      return d.items.length === 3 && d.items.every((x) => x.status === "DELIVERED") && d.items;
    }, 40_000);
    const timedOut = settled.flatMap((d) => d.attempts).filter((a) => a.status === "error");
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]!.error).toBe("no answer within 10 s");
    expect(timedOut[0]!.durationMs).toBeGreaterThanOrEqual(9_900);
    await receiver.close();
  }, 60_000);
});
