/**
 * Two server replicas on one PostgreSQL database: a worker long-polling on one replica is woken
 * at once by a run queued through the other (LISTEN/NOTIFY), and both see the same runs.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../src/index.js";

describe("replicas on PostgreSQL", () => {
  const servers: RunningServer[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    const base = inject("postgresUrl");
    const name = `gantry_${randomBytes(6).toString("hex")}`;
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    const databaseUrl = base.replace(/\/[^/]*$/, `/${name}`);
    const encryptionKey = randomBytes(32).toString("base64");
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), "gantry-replica-"));
      dirs.push(dataDir);
      servers.push(await startServer(loadConfig({ argv: { port: 0, dataDir, databaseUrl, encryptionKey }, env: {} }), { log: pino({ level: "silent" }) }));
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("wakes a worker on replica B when a run is queued on replica A", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const admin = new GantryClient({ baseUrl: a.url, token: a.adminApiKey! });
    const token = await b.mintWorkerToken();
    const post = async (url: string, body: unknown) => (await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
    const { workerId } = (await post(`${b.url}/api/v1/worker/register`, { name: "on-b" })) as { workerId: string };
    const stack = await admin.call("createStack", { body: { name: "replicated", repository: "/srv/x.git" } });
    const waiting = post(`${b.url}/api/v1/worker/${workerId}/claim`, { waitMs: 20_000 });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "PROPOSED" } });
    const { job } = (await waiting) as { job: { runId: string } | null };
    expect(job?.runId).toBe(run.id);
    expect(performance.now() - t0).toBeLessThan(10_000); // far below the 20 s wait: woken by NOTIFY, not a timer
    const onB = new GantryClient({ baseUrl: b.url, token: a.adminApiKey! });
    expect((await onB.call("getRun", { params: { id: run.id } })).state).toBe("PREPARING");
  });
});
