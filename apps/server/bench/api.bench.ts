/**
 * `npm run bench:api`: 10,000 stacks across 100 spaces, with contexts and policies that
 * auto-attach by label; p50/p99 of listing (100 per page), getting and explaining stacks, on
 * SQLite and on a throwaway PostgreSQL. `GET /healthz` is measured in the same session as the
 * baseline: the cost of an HTTP round trip with one trivial query.
 *
 * Environment: BENCH_STACKS (10000), BENCH_SAMPLES (500), BENCH_DIALECTS (sqlite,postgres).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import { startPostgres } from "../../../test/postgres-server.js";
import { loadConfig, startServer } from "../src/index.js";

const STACKS = Number(process.env.BENCH_STACKS ?? 10_000);
const SPACES = 100;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);

/** The case issue #14 sets a bound on: 10,000 stacks, 3 ACCESS policies, p99 under 100 ms on SQLite. */
const ACCESS_CASE = "list stacks (team, 3 ACCESS policies)";
/** Reading one stack through the same policies: every stack read of a non-admin evaluates them. */
const ACCESS_GET_CASE = "get stack (team, 3 ACCESS policies)";
const accessPolicies = {
  "team-read": `package spacelift\nimport rego.v1\nread if { some l in input.stack.labels; startswith(l, "team:"); concat("", ["team-", substring(l, 5, -1)]) in input.session.teams }\nwrite if { "env:dev" in input.stack.labels; "team-a" in input.session.teams }`,
  "prod-writers": `package spacelift\nimport rego.v1\ndeny_write contains "only platform writes prod" if { "env:prod" in input.stack.labels; not "platform" in input.session.teams }`,
  "quarantine": `package spacelift\nimport rego.v1\ndeny contains "quarantined" if "quarantine" in input.stack.labels`,
};

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

async function run(dialect: "sqlite" | "postgres", databaseUrl: string | undefined, dataDir: string) {
  const server = await startServer(loadConfig({ argv: { port: 0, dataDir, databaseUrl, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log: pino({ level: "silent" }) });
  const admin = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
  const t0 = performance.now();
  const spaceIds = Array.from({ length: SPACES }, (_, i) => `space-${i}`);
  await admin.call("createSpace", { body: { id: "org", name: "org" } });
  await pool(spaceIds, 8, (id) => admin.call("createSpace", { body: { id, name: id, parentSpaceId: "org", inheritEntities: true } }));
  await admin.call("createContext", { body: { id: "global", name: "global", spaceId: "org", labels: ["autoattach:*"] } });
  await admin.call("createPolicy", { body: { id: "plan-guard", name: "plan guard", spaceId: "org", type: "PLAN", body: "package spacelift", labels: ["autoattach:env:prod"] } });
  await pool(spaceIds, 8, async (id) => {
    await admin.call("createContext", { body: { id: `${id}-ctx`, name: `${id} ctx`, spaceId: id, labels: ["autoattach:team:a"] } });
    await admin.call("createPolicy", { body: { id: `${id}-approval`, name: `${id} approval`, spaceId: id, type: "APPROVAL", body: "package spacelift", labels: ["autoattach:env:prod"] } });
  });
  const stackIds = Array.from({ length: STACKS }, (_, i) => `stack-${String(i).padStart(5, "0")}`);
  await pool(stackIds, 16, (id) => {
    const n = Number(id.slice(6));
    return admin.call("createStack", { body: { id, name: id, spaceId: spaceIds[n % SPACES]!, repository: "/srv/infra.git", projectRoot: `stacks/${id}`, labels: [n % 2 ? "env:prod" : "env:dev", "team:a"] } });
  });
  const seedSeconds = (performance.now() - t0) / 1000;
  const reader = await admin.call("createUser", { body: { username: "reader", password: "correct horse battery" } });
  for (const id of spaceIds.slice(0, 10)) await admin.call("createRoleBinding", { body: { spaceId: id, role: "read", subjectType: "user", subjectId: reader.id } });
  const readerClient = new GantryClient({ baseUrl: server.url, token: (await admin.call("createApiKey", { body: { name: "r", userId: reader.id } })).secret });
  // Three ACCESS policies reaching every stack; a team member with no space role sees stacks through them.
  for (const [id, body] of Object.entries(accessPolicies)) await admin.call("createPolicy", { body: { id, name: id, spaceId: "org", type: "ACCESS", body, labels: ["autoattach:*"] } });
  const member = await admin.call("createUser", { body: { username: "member", password: "correct horse battery" } });
  const team = await admin.call("createTeam", { body: { name: "team-a" } });
  await admin.call("addTeamMember", { params: { id: team.id, userId: member.id } });
  const memberClient = new GantryClient({ baseUrl: server.url, token: (await admin.call("createApiKey", { body: { name: "m", userId: member.id } })).secret });

  const pick = () => stackIds[Math.floor(Math.random() * stackIds.length)]!;
  const results: Record<string, number[]> = { healthz: [], "list stacks (admin, 100/page)": [], "list stacks (reader of 10 spaces)": [], [ACCESS_CASE]: [], "get stack": [], [ACCESS_GET_CASE]: [], "explain stack": [] };
  for (let i = 0; i < 50; i++) await fetch(`${server.url}/healthz`).then((r) => r.text()); // warm up
  for (let i = 0; i < SAMPLES; i++) results.healthz!.push(await timed(() => fetch(`${server.url}/healthz`).then((r) => r.text())));
  let cursor: string | undefined;
  for (let i = 0; i < SAMPLES; i++) {
    results["list stacks (admin, 100/page)"]!.push(await timed(async () => {
      const page = await admin.call("listStacks", { query: { limit: 100, cursor } });
      cursor = page.nextCursor ?? undefined;
    }));
  }
  cursor = undefined;
  for (let i = 0; i < SAMPLES; i++) {
    results["list stacks (reader of 10 spaces)"]!.push(await timed(async () => {
      const page = await readerClient.call("listStacks", { query: { limit: 100, cursor } });
      cursor = page.nextCursor ?? undefined;
    }));
  }
  cursor = undefined;
  for (let i = 0; i < SAMPLES; i++) {
    results[ACCESS_CASE]!.push(await timed(async () => {
      const page = await memberClient.call("listStacks", { query: { limit: 100, cursor } });
      if (page.items.length === 0) throw new Error("the team member should see stacks through the access policies");
      cursor = page.nextCursor ?? undefined;
    }));
  }
  for (let i = 0; i < SAMPLES; i++) results["get stack"]!.push(await timed(() => admin.call("getStack", { params: { id: pick() } })));
  for (let i = 0; i < SAMPLES; i++) results[ACCESS_GET_CASE]!.push(await timed(() => memberClient.call("getStack", { params: { id: pick() } })));
  for (let i = 0; i < SAMPLES; i++) results["explain stack"]!.push(await timed(() => admin.call("explainStack", { params: { id: pick() } })));
  await server.close();

  const base = pct(results.healthz!, 50);
  console.log(`\n${dialect}: ${STACKS} stacks in ${SPACES} spaces (seeded through the API in ${seedSeconds.toFixed(1)} s), ${SAMPLES} samples each`);
  console.log("operation".padEnd(40), "p50 ms".padStart(8), "p99 ms".padStart(8), "p50 / healthz p50".padStart(19), " p99 under bound");
  for (const [name, xs] of Object.entries(results)) {
    const p50 = pct(xs, 50);
    const p99 = pct(xs, 99);
    const bound = name === ACCESS_CASE || name === ACCESS_GET_CASE ? 100 : 50;
    console.log(name.padEnd(40), p50.toFixed(2).padStart(8), p99.toFixed(2).padStart(8), `${(p50 / base).toFixed(1)}x`.padStart(19), p99 < bound ? ` yes (< ${bound} ms)` : ` NO (>= ${bound} ms)`);
  }
}

/** BENCH_DIALECTS: which databases to measure (default both), e.g. `sqlite` for a quick run. */
const DIALECTS = (process.env.BENCH_DIALECTS ?? "sqlite,postgres").split(",").map((d) => d.trim());
const dir = mkdtempSync(join(tmpdir(), "gantry-bench-"));
try {
  if (DIALECTS.includes("sqlite")) await run("sqlite", undefined, join(dir, "sqlite"));
  if (DIALECTS.includes("postgres")) {
    const pg = await startPostgres();
    try {
      await run("postgres", pg.url, join(dir, "pg"));
    } finally {
      pg.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
