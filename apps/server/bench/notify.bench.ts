/**
 * `npm run bench:notify`: the notification outbox under load, on SQLite in one process.
 *
 * 1,000 run transitions (200 runs x QUEUED, READY, PREPARING, INITIALIZING, FAILED, driven through
 * the real worker protocol over HTTP) on stacks that each have 3 webhook endpoints (local
 * receivers), so 3,000 signed deliveries. Reports:
 * - delivery latency, event (transition committed) to the receiver's arrival: p50, p99, max;
 * - the run engine's overhead with deliveries on vs off: the wall time of the same transitions
 *   with 3 endpoints per stack vs none (events are still written and fanned out when off; that
 *   is the always-on cost). Rounds alternate on/off so other load hits both alike; the ratio is of
 *   the medians.
 *
 * Environment: BENCH_RUNS (runs per round, default 200), BENCH_ROUNDS (per mode, default 3).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import { loadConfig, startServer } from "../src/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STACKS = 10;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/**
 * The receivers run in their own process, as real ones would: in this process they would take
 * event-loop time from the run engine and inflate the overhead being measured.
 */
const receiverCode = `
const http = require("node:http");
const latencies = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    latencies.push(Date.now() - JSON.parse(body).timestamp);
    res.writeHead(200).end("ok");
  });
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
process.stdin.on("data", () => { console.log(JSON.stringify({ latencies })); });
`;
const receiver = spawn(process.execPath, ["-e", receiverCode], { stdio: ["pipe", "pipe", "inherit"] });
const lines: string[] = [];
let waiting: ((line: string) => void) | undefined;
let buffered = "";
receiver.stdout.on("data", (c: Buffer) => {
  buffered += c.toString();
  let nl;
  while ((nl = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(line);
    } else lines.push(line);
  }
});
const nextLine = () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise<string>((r) => (waiting = r)));
const receiverUrl = `http://127.0.0.1:${(JSON.parse(await nextLine()) as { port: number }).port}`;

const dataDir = mkdtempSync(join(tmpdir(), "gantry-bench-notify-"));
const config = loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64"), outboundAllow: "127.0.0.0/8", logLevel: "silent", vcsPollSeconds: 0 }, env: {} });
const server = await startServer(config, { log: pino({ level: "silent" }) });
const admin = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
const workerToken = await server.mintWorkerToken();
const post = async (path: string, body: unknown, token: string) => {
  const res = await fetch(server.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};
const { workerId } = (await post("/api/v1/worker/register", { name: "bench" }, workerToken)) as { workerId: string };

/** Stacks of one mode: with 3 endpoints each (on), or none (off). */
async function stacks(mode: "on" | "off", round: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < STACKS; i++) {
    const s = await admin.call("createStack", { body: { name: `${mode}-${round}-${i}`, repository: "/srv/bench.git" } });
    if (mode === "on") for (let k = 0; k < 3; k++) await admin.call("createWebhook", { body: { name: `${s.id}-hook-${k}`, stackId: s.id, endpoint: `${receiverUrl}/${k}`, secret: "bench-secret-0123456789" } });
    ids.push(s.id);
  }
  return ids;
}

/** Drives RUNS runs through 5 transitions each; returns the wall time in ms. */
async function drive(stackIds: string[]): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const run = await admin.call("createRun", { params: { id: stackIds[i % stackIds.length]! }, body: { type: "TRACKED" } });
    const { job } = (await post(`/api/v1/worker/${workerId}/claim`, { waitMs: 0 }, workerToken)) as { job: { runId: string; runToken: string } };
    if (job.runId !== run.id) throw new Error(`claimed ${job.runId}, expected ${run.id}`);
    await post(`/api/v1/worker/runs/${run.id}/transition`, { to: "INITIALIZING" }, job.runToken);
    await post(`/api/v1/worker/runs/${run.id}/transition`, { to: "FAILED", note: "bench" }, job.runToken);
  }
  return performance.now() - started;
}

const times: Record<"on" | "off", number[]> = { on: [], off: [] };
await drive(await stacks("off", -1)); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
    const ids = await stacks(mode, round);
    await server.notificationsForTests!.drained();
    times[mode].push(await drive(ids));
    await server.notificationsForTests!.drained();
  }
}
receiver.stdin.write("report\n");
const latencies = (JSON.parse(await nextLine()) as { latencies: number[] }).latencies;
const received = latencies.length;
const expected = ROUNDS * RUNS * 5 * 3;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const overhead = (median(times.on) / median(times.off) - 1) * 100;
console.log(`transitions per round: ${RUNS * 5} (${RUNS} runs x 5), endpoints per stack: 3, rounds per mode: ${ROUNDS}`);
console.log(`deliveries received: ${received} of ${expected}`);
console.log(`delivery latency (event -> receiver): p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms, max ${Math.max(...latencies)} ms`);
console.log(`run engine wall time per round: on ${times.on.map((x) => x.toFixed(0)).join(", ")} ms; off ${times.off.map((x) => x.toFixed(0)).join(", ")} ms`);
console.log(`overhead with deliveries on vs off (medians): ${overhead.toFixed(1)}% (target < 5%)`);
await server.close();
receiver.kill();
rmSync(dataDir, { recursive: true, force: true });
