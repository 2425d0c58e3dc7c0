/**
 * `npm run bench:runs`: the run engine with the real terraform, on SQLite, in one process with
 * in-process workers (as `gantry up` runs it).
 *
 * - Overhead: a TRACKED autodeploy run of a `terraform_data` stack with managed state, trigger
 *   to FINISHED (server timestamps: QUEUED to FINISHED), against bare `terraform init && plan
 *   -out && apply` of the same code. The two alternate run by run, so load from anything else
 *   on the machine hits both alike; the ratio is of the medians. Also: the time per run state,
 *   and bare `show -json` (a step the platform must add) for the arithmetic of what is left.
 * - Dispatch: trigger -> PREPARING, p50/p99: (a) with idle workers, one run at a time; (b) with
 *   100 runs queued across 20 stacks and 4 workers. In (b) most of trigger -> PREPARING is
 *   waiting for a free worker, so it also reports the dispatch latency proper: PREPARING minus
 *   the later of READY and the moment the claiming worker finished its previous run.
 * - Throughput: runs finished per minute with 2, 4 and 8 workers on this machine.
 * - OIDC: what minting a run phase's identity token adds to a run's start (done at claim time,
 *   in PREPARING): 500 mints with the configured RS256 key and 500 with ES256, p50/p99.
 *
 * Environment: BENCH_OVERHEAD_RUNS (default 9), BENCH_PARTS (default "overhead,dispatch,throughput,oidc").
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GantryClient, RunDetail, RunState } from "@gantry/contract";
import { startWorker } from "@gantry/worker";
import pino from "pino";
import { loadConfig, startServer } from "../src/index.js";

const OVERHEAD_RUNS = Number(process.env.BENCH_OVERHEAD_RUNS ?? 9);
const PARTS = new Set((process.env.BENCH_PARTS ?? "overhead,dispatch,throughput,oidc").split(","));
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

/** Waits for the runs to end (polling; the figures come from the server's transition times, not from when the poll noticed). */
async function waitAll(api: GantryClient, ids: string[], every = 50): Promise<RunDetail[]> {
  const out = new Map<string, RunDetail>();
  while (out.size < ids.length) {
    for (const id of ids) {
      if (out.has(id)) continue;
      const r = await api.call("getRun", { params: { id } });
      if (terminal.includes(r.state)) out.set(id, r);
    }
    if (out.size < ids.length) await new Promise((r) => setTimeout(r, every));
  }
  const failed = [...out.values()].filter((r) => r.state !== "FINISHED");
  if (failed.length) throw new Error(`runs did not finish: ${failed.map((r) => `${r.id} ${r.state} ${r.failureReason}`).join("; ")}`);
  return ids.map((id) => out.get(id)!);
}

const at = (r: RunDetail, s: RunState) => Date.parse(r.history.find((h) => h.to === s)!.at);
const ended = (r: RunDetail) => Date.parse(r.history.at(-1)!.at);

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
  const bareDir = mkdtempSync(join(tmpdir(), "gantry-bench-bare-"));
  writeFileSync(join(bareDir, "main.tf"), code);
  writeFileSync(join(bareDir, "terraformrc"), "");
  const env = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: join(bareDir, "terraformrc") };
  const tf = (...a: string[]) => {
    const t0 = performance.now();
    execFileSync("terraform", a, { cwd: bareDir, env, stdio: "ignore" });
    return performance.now() - t0;
  };
  console.log(`terraform ${/"terraform_version":\s*"([^"]+)"/.exec(execFileSync("terraform", ["version", "-json"], { env }).toString())?.[1]}, node ${process.version}, SQLite, load average ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}\n`);

  if (PARTS.has("overhead")) {
    const worker = startWorker({ serverUrl: server.url, token, concurrency: 1, workDir });
    await worker.ready;
    const s1 = await stack();
    const bareRun = () => {
      rmSync(join(bareDir, ".terraform"), { recursive: true, force: true });
      const init = tf("init", "-input=false");
      const plan = tf("plan", "-input=false", "-out=p.tfplan");
      const show = tf("show", "-json", "p.tfplan"); // not part of the bare total: what the platform adds
      const apply = tf("apply", "-input=false", "p.tfplan");
      return { init, plan, show, apply, total: init + plan + apply };
    };
    await waitAll(api, [(await api.call("createRun", { params: { id: s1 }, body: {} })).id]); // warm the mirror and binary cache
    bareRun();
    const platform: number[] = [];
    const phases: Record<string, number[]> = {};
    const bare: ReturnType<typeof bareRun>[] = [];
    for (let i = 0; i < OVERHEAD_RUNS; i++) {
      const [r] = await waitAll(api, [(await api.call("createRun", { params: { id: s1 }, body: {} })).id], 100);
      platform.push(ended(r!) - at(r!, "QUEUED"));
      const seq = r!.history;
      for (let k = 1; k < seq.length; k++) (phases[seq[k - 1]!.to] ??= []).push(Date.parse(seq[k]!.at) - Date.parse(seq[k - 1]!.at));
      bare.push(bareRun());
    }
    const b = (k: keyof ReturnType<typeof bareRun>) => median(bare.map((x) => x[k]));
    const ratio = median(platform) / b("total");
    // Each platform run against the bare run right after it: steadier when the machine's load drifts.
    const pairRatio = median(platform.map((p, i) => p / bare[i]!.total));
    console.log("overhead: tracked autodeploy run (managed state), trigger -> FINISHED, vs bare init+plan+apply (alternating)");
    console.log(`  gantry ${ms(median(platform))} (median of ${OVERHEAD_RUNS}), bare terraform ${ms(b("total"))}: ratio ${ratio.toFixed(2)}x, median of per-pair ratios ${pairRatio.toFixed(2)}x (target <= 1.5x)`);
    console.log(`  gantry, time in each state (median): ${Object.entries(phases).map(([st, xs]) => `${st} ${ms(median(xs))}`).join(", ")}`);
    console.log(`  bare (median): init ${ms(b("init"))}, plan ${ms(b("plan"))}, apply ${ms(b("apply"))}; show -json (not in the bare total) ${ms(b("show"))}\n`);
    await worker.stop();
  }

  const ids20: string[] = [];
  if (PARTS.has("dispatch") || PARTS.has("throughput")) for (let i = 0; i < 20; i++) ids20.push(await stack());

  if (PARTS.has("dispatch")) {
    const worker = startWorker({ serverUrl: server.url, token, concurrency: 4, workDir });
    await worker.ready;
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
    // When did the claiming worker become free? At the end of its previous run (or never busy before).
    const byWorker = new Map<string, RunDetail[]>();
    for (const r of loaded) byWorker.set(r.workerId ?? "?", [...(byWorker.get(r.workerId ?? "?") ?? []), r]);
    const dispatch: number[] = [];
    for (const runs of byWorker.values()) {
      runs.sort((x, y) => at(x, "PREPARING") - at(y, "PREPARING"));
      runs.forEach((r, i) => dispatch.push(at(r, "PREPARING") - Math.max(at(r, "READY"), i > 0 ? ended(runs[i - 1]!) : 0)));
    }
    console.log(`dispatch, 100 runs queued on 20 stacks, 4 workers: trigger -> PREPARING p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))} (mostly waiting for a free worker)`);
    console.log(`  dispatch latency (claimable and a worker free -> PREPARING): p50 ${ms(pct(dispatch, 50))}, p99 ${ms(pct(dispatch, 99))}\n`);
    await worker.stop();
  }

  if (PARTS.has("throughput")) {
    for (const n of [2, 4, 8]) {
      const worker = startWorker({ serverUrl: server.url, token, concurrency: n, workDir });
      await worker.ready;
      const t0 = performance.now();
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await api.call("createRun", { params: { id: ids20[i % 20]! }, body: {} })).id);
      await waitAll(api, ids);
      const minutes = (performance.now() - t0) / 60_000;
      console.log(`throughput with ${n} workers: ${(40 / minutes).toFixed(0)} tracked runs/minute (40 runs on 20 stacks in ${(minutes * 60).toFixed(1)} s)`);
      await worker.stop();
    }
  }
  if (PARTS.has("oidc")) {
    const issuer = server.oidcIssuerForTests!;
    const run = { runId: "01JBENCHRUN0000000000000000", runType: "TRACKED" as const, stackId: "bench", spaceId: "root" };
    const line: string[] = [];
    for (const alg of ["RS256", "ES256"] as const) {
      issuer.settings.signingAlgorithm = alg;
      await issuer.mint(run); // the first mint of a key decrypts and imports it
      const times: number[] = [];
      for (let i = 0; i < 500; i++) {
        const t0 = performance.now();
        await issuer.mint(run, { audience: "sts.amazonaws.com" });
        times.push(performance.now() - t0);
      }
      line.push(`${alg} p50 ${median(times).toFixed(2)} ms, p99 ${pct(times, 99).toFixed(2)} ms`);
    }
    console.log(`oidc: minting a run token at run start (key row read + signature): ${line.join("; ")} (target < 5 ms)`);
  }
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bareDir, { recursive: true, force: true });
  rmSync(repository, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
