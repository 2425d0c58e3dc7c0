/**
 * Two server replicas on one PostgreSQL database: a worker long-polling on one replica is woken
 * at once by a run queued through the other (LISTEN/NOTIFY), both see the same runs, and a live
 * log stream on one replica gets the lines written through the other.
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
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "PROPOSED" } });
    const { job } = (await waiting) as { job: { runId: string } | null };
    expect(job?.runId).toBe(run.id);
    const onB = new GantryClient({ baseUrl: b.url, token: a.adminApiKey! });
    expect((await onB.call("getRun", { params: { id: run.id } })).state).toBe("PREPARING");
  });

  it("streams log lines appended through replica A live to an SSE client on replica B", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const admin = new GantryClient({ baseUrl: a.url, token: a.adminApiKey! });
    const token = await a.mintWorkerToken();
    const post = async (url: string, body: unknown, bearer = token) =>
      fetch(url, { method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const { workerId } = (await (await post(`${a.url}/api/v1/worker/register`, { name: "on-a" })).json()) as { workerId: string };
    const stack = await admin.call("createStack", { body: { name: "relayed-logs", repository: "/srv/x.git" } });
    const run = await admin.call("createRun", { params: { id: stack.id }, body: { type: "PROPOSED" } });
    const { job } = (await (await post(`${a.url}/api/v1/worker/${workerId}/claim`, { waitMs: 0 })).json()) as { job: { runId: string; runToken: string } };
    expect(job.runId).toBe(run.id);

    const res = await fetch(`${b.url}/api/v1/runs/${run.id}/logs/stream`, { headers: { authorization: `Bearer ${a.adminApiKey!}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    /** The next server-sent event of the stream on B, skipping pings. */
    const nextEvent = async (): Promise<{ event: string; data: unknown }> => {
      for (;;) {
        const end = buffered.indexOf("\n\n");
        if (end >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) return { event, data: JSON.parse(data) as unknown };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream on replica B ended early");
        buffered += value;
      }
    };
    const append = async (text: string) => {
      const r = await post(`${a.url}/api/v1/worker/runs/${run.id}/logs`, { phase: "planning", text }, job.runToken);
      expect(r.status).toBe(204);
    };
    // The stream on B is open before the lines are written through A: only the relay can bring them.
    await append("first line\n");
    expect(await nextEvent()).toEqual({ event: "log", data: expect.objectContaining({ seq: 1, phase: "planning", text: "first line\n" }) });
    const big = `${"x".repeat(20_000)}\n`; // far over NOTIFY's 8000-byte payload limit
    await append(big);
    await append("third line\n");
    expect(await nextEvent()).toEqual({ event: "log", data: expect.objectContaining({ seq: 2, text: big }) });
    expect(await nextEvent()).toEqual({ event: "log", data: expect.objectContaining({ seq: 3, text: "third line\n" }) });
    expect((await post(`${a.url}/api/v1/worker/runs/${run.id}/transition`, { to: "FAILED", note: "done" }, job.runToken)).status).toBe(200);
    expect(await nextEvent()).toEqual({ event: "state", data: { state: "FAILED" } });
    expect((await nextEvent()).event).toBe("end");
  });
});
