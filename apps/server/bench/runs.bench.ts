/**
 * `npm run bench:runs`: the run engine with the real terraform, on SQLite, in one process with
 * in-process workers (as `gantry up` runs it).
 *
 * - Overhead: a TRACKED autodeploy run of a `terraform_data` stack with managed state, trigger
 *   to FINISHED, against bare `terraform init && plan -out && apply` of the same code in the
 *   same session (median of BENCH_OVERHEAD_RUNS), with the platform's time per phase.
 * - Dispatch: trigger -> PREPARING, p50/p99: (a) with idle workers, one run at a time; (b) with
 *   100 runs queued across 20 stacks and 4 workers (includes waiting for a free worker).
 * - Throughput: runs finished per minute with 2, 4 and 8 workers on this machine.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GantryClient, RunDetail, RunState } from "@gantry/contract";
import { startWorker } from "@gantry/worker";
import pino from "pino";
import { loadConfig, startServer } from "../src/index.js";

const OVERHEAD_RUNS = Number(process.env.BENCH_OVERHEAD_RUNS ?? 7);
const code = `resource "terraform_data" "x" {\n  input = timestamp()\n}\noutput "at" {\n  value = terraform_data.x.output\n}\n`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const terminal: RunState[] = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "gantry-bench-repo-"));
  const git = (...a: string[]) => execFileSync("git", a, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@x", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@x" } });
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, "main.tf"), code);
  git("add", "-A");
  git("commit", "-q", "-m", "bench");
  return dir;
}

async function waitAll(api: GantryClient, ids: string[]): Promise<RunDetail[]> {
  const out = new Map<string, RunDetail>();
  while (out.size < ids.length) {
    for (const id of ids) {
      if (out.has(id)) continue;
      const r = await api.call("getRun", { params: { id } });
      if (terminal.includes(r.state)) out.set(id, r);
    }
    if (out.size < ids.length) await new Promise((r) => setTimeout(r, 100));
  }
  const failed = [...out.values()].filter((r) => r.state !== "FINISHED");
  if (failed.length) throw new Error(`runs did not finish: ${failed.map((r) => `${r.id} ${r.state} ${r.failureReason}`).join("; ")}`);
  return ids.map((id) => out.get(id)!);
}

const at = (r: RunDetail, s: RunState) => Date.parse(r.history.find((h) => h.to === s)!.at);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-bench-runs-"));
  const server = await startServer(loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log: pino({ level: "silent" }) });
  const { GantryClient } = await import("@gantry/contract");
  const api = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
  const repository = repo();
  const token = await server.mintWorkerToken();
  const workDir = join(dataDir, "worker");
  let stacks = 0;
  const stack = async () => (await api.call("createStack", { body: { name: `bench-${++stacks}`, repository, autodeploy: true } })).id;
  console.log(`terraform ${execFileSync("terraform", ["version", "-json"]).toString().match(/"terraform_version":\s*"([^"]+)"/)?.[1]}, node ${process.version}, SQLite\n`);

  // ---- Overhead ----
  let worker = startWorker({ serverUrl: server.url, token, concurrency: 1, workDir });
  await worker.ready;
  const s1 = await stack();
  await waitAll(api, [(await api.call("createRun", { params: { id: s1 }, body: {} })).id]); // warm the mirror and binary cache
  const platform: number[] = [];
  const phases: Record<string, number[]> = {};
  for (let i = 0; i < OVERHEAD_RUNS; i++) {
    const t0 = performance.now();
    const [r] = await waitAll(api, [(await api.call("createRun", { params: { id: s1 }, body: {} })).id]);
    platform.push(performance.now() - t0);
    const seq = r!.history;
    for (let k = 1; k < seq.length; k++) (phases[seq[k - 1]!.to] ??= []).push(Date.parse(seq[k]!.at) - Date.parse(seq[k - 1]!.at));
  }
  const bareDir = mkdtempSync(join(tmpdir(), "gantry-bench-bare-"));
  writeFileSync(join(bareDir, "main.tf"), code);
  const cli = join(bareDir, "terraformrc");
  writeFileSync(cli, "");
  const env = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: cli };
  const tf = (...a: string[]) => execFileSync("terraform", a, { cwd: bareDir, env, stdio: "ignore" });
  const bare: number[] = [];
  for (let i = 0; i < OVERHEAD_RUNS + 1; i++) {
    rmSync(join(bareDir, ".terraform"), { recursive: true, force: true });
    const t0 = performance.now();
    tf("init", "-input=false");
    tf("plan", "-input=false", "-out=p.tfplan");
    tf("apply", "-input=false", "p.tfplan");
    if (i > 0) bare.push(performance.now() - t0);
  }
  const ratio = median(platform) / median(bare);
  console.log("overhead: tracked autodeploy run (managed state), trigger -> FINISHED, vs bare init+plan+apply");
  console.log(`  gantry ${ms(median(platform))} (median of ${OVERHEAD_RUNS}), bare terraform ${ms(median(bare))}: ratio ${ratio.toFixed(2)}x (target <= 1.5x)`);
  console.log(`  time in each state (median): ${Object.entries(phases).map(([s, xs]) => `${s} ${ms(median(xs))}`).join(", ")}\n`);

  // ---- Dispatch ----
  await worker.stop();
  worker = startWorker({ serverUrl: server.url, token, concurrency: 4, workDir });
  await worker.ready;
  const ids20: string[] = [];
  for (let i = 0; i < 20; i++) ids20.push(await stack());
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) {
    const [r] = await waitAll(api, [(await api.call("createRun", { params: { id: ids20[i]! }, body: { type: "PROPOSED" } })).id]);
    idle.push(at(r!, "PREPARING") - at(r!, "QUEUED"));
  }
  console.log(`dispatch, idle workers: trigger -> PREPARING p50 ${ms(pct(idle, 50))}, p99 ${ms(pct(idle, 99))} (target p50 < 100 ms)`);
  const queued: string[] = [];
  for (let i = 0; i < 100; i++) queued.push((await api.call("createRun", { params: { id: ids20[i % 20]! }, body: {} })).id);
  const loaded = await waitAll(api, queued);
  const lat = loaded.map((r) => at(r, "PREPARING") - at(r, "QUEUED"));
  const ready = loaded.map((r) => at(r, "PREPARING") - at(r, "READY"));
  console.log(`dispatch, 100 runs queued on 20 stacks, 4 workers: trigger -> PREPARING p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}; READY -> PREPARING p50 ${ms(pct(ready, 50))}, p99 ${ms(pct(ready, 99))}\n`);
  await worker.stop();

  // ---- Throughput ----
  for (const n of [2, 4, 8]) {
    worker = startWorker({ serverUrl: server.url, token, concurrency: n, workDir });
    await worker.ready;
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await api.call("createRun", { params: { id: ids20[i % 20]! }, body: {} })).id);
    await waitAll(api, ids);
    const minutes = (performance.now() - t0) / 60_000;
    console.log(`throughput with ${n} workers: ${(40 / minutes).toFixed(0)} tracked runs/minute (40 runs on 20 stacks in ${(minutes * 60).toFixed(1)} s)`);
    await worker.stop();
  }
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
