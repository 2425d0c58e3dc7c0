/**
 * `npm run chaos`: kills and starves Gantry's processes and database in the ways production
 * does, and checks that no run is lost, stuck or applied twice and that no secret leaks. Runs on
 * loopback only, bounded in time (each try has a deadline; the whole suite a budget), prints
 * `test | survived/tries` and exits 1 on any loss.
 *
 *   npm run chaos                        every scenario once
 *   npm run chaos -- --tries 3           each scenario three times
 *   npm run chaos -- --only pushes,secrets --pushes 20 --outage-seconds 10
 */
import { parseArgs } from "node:util";
import { startPostgres, type PostgresServer } from "../postgres-server.js";
import { databaseStoppedAndStarted, manyPushes, secretsNeverLeak } from "./data.js";
import { embeddedKilledAndRestarted, replicaKilled, splitServerKilledAndRestarted, workerKilledMidApply } from "./process-kills.js";

const { values } = parseArgs({
  options: {
    tries: { type: "string", default: "1" },
    only: { type: "string" },
    pushes: { type: "string", default: "50" },
    "outage-seconds": { type: "string", default: "30" },
    "try-timeout-minutes": { type: "string", default: "10" },
    "budget-minutes": { type: "string", default: "60" },
  },
});
const tries = Number(values.tries);
const tryTimeoutMs = Number(values["try-timeout-minutes"]) * 60_000;
const budgetEnds = Date.now() + Number(values["budget-minutes"]) * 60_000;

let sharedPostgres: PostgresServer | undefined;
const postgresUrl = async () => (sharedPostgres ??= await startPostgres()).url;

const scenarios: { name: string; run: () => Promise<void> }[] = [
  { name: "worker SIGKILL mid-apply (sqlite)", run: () => workerKilledMidApply() },
  { name: "worker SIGKILL mid-apply (postgres)", run: async () => workerKilledMidApply(await createDb()) },
  { name: "server SIGKILL and restart (split)", run: splitServerKilledAndRestarted },
  { name: "server SIGKILL and restart (embedded)", run: embeddedKilledAndRestarted },
  { name: `${values.pushes} pushes to one stack`, run: () => manyPushes(Number(values.pushes), 2) },
  { name: "replica SIGKILL (postgres, 3 replicas)", run: async () => replicaKilled(await postgresUrl()) },
  { name: `database stopped ${values["outage-seconds"]} s and started`, run: () => databaseStoppedAndStarted(Number(values["outage-seconds"])) },
  { name: "secrets grepped in API, logs, audit, files", run: secretsNeverLeak },
];

async function createDb(): Promise<string> {
  const { createDatabase } = await import("../resilience/cluster.js");
  return createDatabase(await postgresUrl());
}

const keys: Record<string, string> = { "worker SIGKILL mid-apply (sqlite)": "worker", "worker SIGKILL mid-apply (postgres)": "worker", "server SIGKILL and restart (split)": "server", "server SIGKILL and restart (embedded)": "server", "replica SIGKILL (postgres, 3 replicas)": "replica", "secrets grepped in API, logs, audit, files": "secrets" };
const keyOf = (name: string) => keys[name] ?? (name.includes("pushes") ? "pushes" : name.includes("database") ? "database" : name);
const only = values.only ? new Set(values.only.split(",")) : undefined;

function withDeadline(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`did not finish within ${ms / 60_000} minutes`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

const rows: { name: string; survived: number; tried: number; failures: string[] }[] = [];
for (const s of scenarios) {
  if (only && !only.has(keyOf(s.name))) continue;
  const row = { name: s.name, survived: 0, tried: 0, failures: [] as string[] };
  rows.push(row);
  for (let i = 0; i < tries; i++) {
    if (Date.now() > budgetEnds) {
      row.failures.push("not tried: the suite's time budget ran out");
      break;
    }
    row.tried++;
    const started = Date.now();
    process.stderr.write(`chaos: ${s.name}, try ${i + 1}/${tries} ... `);
    try {
      await withDeadline(s.run(), tryTimeoutMs);
      row.survived++;
      process.stderr.write(`survived (${Math.round((Date.now() - started) / 1000)} s)\n`);
    } catch (err) {
      row.failures.push((err as Error).message);
      process.stderr.write(`LOST (${Math.round((Date.now() - started) / 1000)} s): ${(err as Error).message.split("\n")[0]}\n`);
    }
  }
}
sharedPostgres?.stop();

const width = Math.max(...rows.map((r) => r.name.length), 4);
console.log(`${"test".padEnd(width)} | survived/tries`);
console.log(`${"-".repeat(width)}-|---------------`);
for (const r of rows) console.log(`${r.name.padEnd(width)} | ${r.survived}/${r.tried}`);
const lost = rows.filter((r) => r.survived < r.tried || r.failures.length);
for (const r of lost) for (const f of r.failures) console.log(`\n${r.name}: ${f}`);
process.exit(lost.length ? 1 : 0);
