/**
 * `npm run bench:drift`: the drift scheduler (an exclusive subsystem) with 10,000 stacks on
 * hourly drift detection schedules, on SQLite (or PostgreSQL with BENCH_DATABASE_URL), in one
 * server process with no workers (runs stay queued: this measures the scheduler, not terraform).
 *
 * The server's clock is injected: real time plus an offset. Before each measured minute the
 * offset is moved so the next minute boundary is two seconds away (a real hour would take an
 * hour); the scheduler is woken once to see the jump, then fires on its own alarm.
 * - Spread: stack i drifts-checks at minute i % 60 of every hour (~167 due per minute).
 *   Reports due -> QUEUED p50/p99/max (run created_at against the due time) and the process CPU
 *   spent per boundary.
 * - Idle: CPU of the process over BENCH_IDLE_S seconds with nothing due (the scheduler's
 *   alarm and its safety-net rounds), scaled to a minute.
 * - CPU per minute of the subsystem = idle CPU per minute + CPU per boundary.
 * - All at once (BENCH_ALL_AT_ONCE=1, default): every stack on `0 * * * *`: the same figures for
 *   one burst of 10,000.
 *
 * Environment: BENCH_STACKS (10000), BENCH_MINUTES (5), BENCH_IDLE_S (20), BENCH_ALL_AT_ONCE (1).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { loadConfig, startServer } from "../src/index.js";
import type { Db } from "../src/db/connect.js";
import { nextFireTime } from "../src/schedules/cron.js";

const STACKS = Number(process.env.BENCH_STACKS ?? 10_000);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 5);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 20);
const ALL_AT_ONCE = (process.env.BENCH_ALL_AT_ONCE ?? "1") === "1";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

/** 10,000 stacks and their drift detection rows, inserted in bulk (setup, not measured). */
async function seed(db: Db, cronOf: (i: number) => string): Promise<void> {
  const template = await db.selectFrom("stacks").selectAll().where("id", "=", "template").executeTakeFirstOrThrow();
  const at = new Date().toISOString();
  for (let start = 0; start < STACKS; start += 500) {
    const ids = Array.from({ length: Math.min(500, STACKS - start) }, (_, k) => start + k);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("stacks").values(ids.map((i) => ({ ...template, id: `s${i}`, name: `s${i}` }))).execute();
      await trx.insertInto("drift_detections").values(ids.map((i) => ({
        stack_id: `s${i}`, schedule: JSON.stringify([cronOf(i)]), timezone: "UTC", reconcile: 0, ignore_state: 1,
        next_due_at: nextFireTime([cronOf(i)], "UTC", clock()).toISOString(), last_fired_at: null, created_at: at, updated_at: at,
      }))).execute();
    });
  }
}

/** Moves the clock so the next boundary (minute, or hour) is `leadMs` away; returns that boundary (clock time). */
function approachNextMinute(leadMs: number, unitMs = 60_000): Date {
  const now = clock().getTime();
  const boundary = Math.ceil((now + leadMs) / unitMs) * unitMs;
  offsetMs += boundary - leadMs - now;
  return new Date(boundary);
}

/** Waits for the runs due at `due` and returns their due -> QUEUED latencies in ms (real time). */
async function latencies(db: Db, due: Date, expected: number): Promise<number[]> {
  const dueReal = due.getTime() - offsetMs;
  const deadline = Date.now() + Math.max(120_000, expected * 100);
  for (;;) {
    const rows = await db.selectFrom("runs").select("created_at").where("drift_detection", "=", 1).where("created_at", ">=", new Date(dueReal - 1000).toISOString()).execute();
    if (rows.length >= expected || Date.now() > deadline) return rows.map((r) => Date.parse(r.created_at) - dueReal);
    await sleep(100);
  }
}

async function scenario(name: string, cronOf: (i: number) => string, minutes: number, dueAt: (minute: number) => number, unitMs = 60_000) {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-bench-drift-"));
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  offsetMs = 0;
  const server = await startServer(loadConfig({ argv: { port: 0, dataDir, databaseUrl, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log: pino({ level: "silent" }), clock });
  try {
    const api = (await import("@gantry/contract")).GantryClient;
    const admin = new api({ baseUrl: server.url, token: server.adminApiKey! });
    await admin.call("createStack", { body: { id: "template", name: "template", repository: "/srv/git/infra.git" } });
    const db = server.runEngineForTests!.core.db;
    const t0 = Date.now();
    await seed(db, cronOf);
    console.log(`\n## ${name}: ${STACKS} stacks seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const drift = server.schedulesForTests!.drift;

    // Idle: nothing due for a while (the next boundary is a minute away).
    approachNextMinute(IDLE_S * 1000 + 30_000);
    drift.wake();
    await sleep(500);
    const idleStart = cpuMs();
    await sleep(IDLE_S * 1000);
    const idlePerMinute = ((cpuMs() - idleStart) / IDLE_S) * 60;

    const all: number[] = [];
    const cpu: number[] = [];
    for (let m = 0; m < minutes; m++) {
      const due = approachNextMinute(2000, unitMs);
      drift.wake();
      await sleep(300);
      const before = cpuMs();
      const lat = await latencies(db, due, dueAt(due.getUTCMinutes()));
      await sleep(200);
      // The wait loop's own polling queries are included: an overestimate of the scheduler's share.
      cpu.push(cpuMs() - before);
      all.push(...lat);
      console.log(`  minute ${due.toISOString().slice(11, 16)}: ${lat.length} runs queued, due->QUEUED p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms, max ${Math.max(...lat).toFixed(0)} ms, CPU ${cpu.at(-1)!.toFixed(0)} ms`);
    }
    const perBoundary = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    console.log(`  due->QUEUED over ${all.length} runs: p50 ${pct(all, 50).toFixed(0)} ms, p99 ${pct(all, 99).toFixed(0)} ms, max ${Math.max(...all).toFixed(0)} ms`);
    console.log(`  CPU: idle ${idlePerMinute.toFixed(0)} ms per minute, ${perBoundary.toFixed(0)} ms per boundary => ~${(idlePerMinute + perBoundary).toFixed(0)} ms CPU per minute (${((idlePerMinute + perBoundary) / 600).toFixed(2)} % of one core)`);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`# drift scheduler bench (${process.env.BENCH_DATABASE_URL ? "PostgreSQL" : "SQLite"}, ${STACKS} stacks, hourly schedules)`);
await scenario("spread over the hour (stack i at minute i % 60)", (i) => `${i % 60} * * * *`, MINUTES, (minute) => Math.floor(STACKS / 60) + (minute < STACKS % 60 ? 1 : 0));
if (ALL_AT_ONCE) await scenario("all at once (every stack at minute 0)", () => "0 * * * *", 1, () => STACKS, 3_600_000);
