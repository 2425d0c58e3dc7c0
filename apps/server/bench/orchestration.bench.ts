/**
 * `npm run bench:orchestration`: stack dependencies with the real terraform, on SQLite, in one
 * process with in-process workers (as `gantry up` runs it).
 *
 * A DAG of 50 `terraform_data` stacks in 5 layers (1, 12, 12, 12, 13; each stack below the
 * root depends on two stacks of the layer above and reads one of their outputs through a
 * TF_VAR_ reference), triggered by one tracked run of the root: every apply changes its
 * resource and output, so each finished run queues its direct dependents, which wait for all
 * their upstreams. 8 workers. Reported:
 * - wall time, root QUEUED -> last FINISHED;
 * - the critical path's sum of single-run times: 5 (the number of layers) x the median
 *   QUEUED -> FINISHED time of one run alone on an idle engine (measured before and after);
 * - the ratio of the two (target <= 1.3), and, as checks on scheduling alone, the wall time
 *   against the heaviest chain of the DAG's own run times (PREPARING -> FINISHED, same load) and
 *   against the best any scheduler could do with the workers given (that chain, or the total
 *   run time spread over the workers, whichever is longer);
 * - the dispatcher's latencies: upstream FINISHED -> dependent QUEUED, last upstream FINISHED ->
 *   READY.
 *
 * Environment: BENCH_SINGLE_RUNS (default 5 before and 5 after), BENCH_WORKERS (default 8).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GantryClient, RunDetail, RunState } from "@gantry/contract";
import { startWorker } from "@gantry/worker";
import pino from "pino";
import { loadConfig, startServer } from "../src/index.js";

const SINGLE_RUNS = Number(process.env.BENCH_SINGLE_RUNS ?? 5);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 8);
const LAYERS = [1, 12, 12, 12, 13];
const code = `variable "upstream" {\n  type    = string\n  default = "none"\n}\nresource "terraform_data" "x" {\n  input = "\${var.upstream} at \${timestamp()}"\n}\noutput "at" {\n  value = terraform_data.x.output\n}\n`;
const terminal: RunState[] = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${(x / 1000).toFixed(1)} s`;
const at = (r: RunDetail, st: RunState) => Date.parse(r.history.find((h) => h.to === st)!.at);
const ended = (r: RunDetail) => Date.parse(r.history.at(-1)!.at);

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "gantry-bench-dag-"));
  const git = (...a: string[]) => execFileSync("git", a, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@x", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@x" } });
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, "main.tf"), code);
  git("add", "-A");
  git("commit", "-q", "-m", "bench");
  return dir;
}

async function waitRun(api: GantryClient, id: string): Promise<RunDetail> {
  for (;;) {
    const r = await api.call("getRun", { params: { id } });
    if (terminal.includes(r.state)) {
      if (r.state !== "FINISHED") throw new Error(`run ${id} of ${r.stackId} ended ${r.state}: ${r.failureReason}`);
      return r;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-bench-orchestration-"));
  const server = await startServer(loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log: pino({ level: "silent" }) });
  const { GantryClient } = await import("@gantry/contract");
  const api = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
  const repository = repo();
  const worker = startWorker({ serverUrl: server.url, token: await server.mintWorkerToken(), concurrency: WORKERS, workDir: join(dataDir, "worker") });
  await worker.ready;
  console.log(`node ${process.version}, SQLite, ${WORKERS} workers, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} (the machine is shared: other processes compete for its cores)\n`);

  const alone = (await api.call("createStack", { body: { id: "alone", name: "alone", repository, autodeploy: true } })).id;
  const single = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await waitRun(api, (await api.call("createRun", { params: { id: alone }, body: {} })).id);
      out.push(ended(r) - at(r, "QUEUED"));
    }
    return out;
  };
  await single(1); // warm the mirror and the provider cache
  const before = await single(SINGLE_RUNS);

  // The DAG: layer k's stack i depends on stacks i and i+1 (mod size) of layer k-1, reading the first one's output.
  const layers: string[][] = [];
  for (const [k, size] of LAYERS.entries()) {
    const layer: string[] = [];
    for (let i = 0; i < size; i++) {
      const id = `l${k}-s${i}`;
      await api.call("createStack", { body: { id, name: id, repository, autodeploy: true } });
      if (k > 0) {
        const above = layers[k - 1]!;
        const ups = [...new Set([above[i % above.length]!, above[(i + 1) % above.length]!])];
        for (const [j, up] of ups.entries()) {
          const dep = await api.call("createStackDependency", { params: { id }, body: { dependsOnStackId: up } });
          if (j === 0) await api.call("createStackDependencyReference", { params: { id }, body: { dependencyId: dep.id, outputName: "at", inputName: "TF_VAR_upstream" } });
        }
      }
      layer.push(id);
    }
    layers.push(layer);
  }
  const all = layers.flat();
  const upstreams = new Map<string, string[]>();
  for (const id of all) upstreams.set(id, (await api.call("listStackDependencies", { params: { id } })).dependsOn.map((d) => d.dependsOnStackId));

  const root = await api.call("createRun", { params: { id: layers[0]![0]! }, body: {} });
  const t0 = Date.now();
  const runs = new Map<string, RunDetail>();
  while (runs.size < all.length) {
    for (const id of all) {
      if (runs.has(id)) continue;
      const latest = (await api.call("listStackRuns", { params: { id }, query: { limit: 1 } })).items[0];
      if (latest && terminal.includes(latest.state)) runs.set(id, await waitRun(api, latest.id));
    }
    if (Date.now() - t0 > 30 * 60_000) throw new Error(`the DAG did not finish in 30 minutes: ${runs.size} of ${all.length} stacks ran`);
    await new Promise((res) => setTimeout(res, 200));
  }
  const first = (await waitRun(api, root.id));
  const wall = Math.max(...[...runs.values()].map(ended)) - at(first, "QUEUED");
  const after = await single(SINGLE_RUNS);
  const singleMedian = median([...before, ...after]);
  const criticalPath = LAYERS.length * singleMedian;

  // The heaviest chain of the DAG's own run times (what perfect scheduling under this load would take).
  const chain = new Map<string, number>();
  for (const id of all) chain.set(id, Math.max(0, ...(upstreams.get(id) ?? []).map((u) => chain.get(u)!)) + (ended(runs.get(id)!) - at(runs.get(id)!, "PREPARING")));
  const heaviest = Math.max(...chain.values());
  const durations = [...runs.values()].map((r) => ended(r) - at(r, "PREPARING"));
  const waits = [...runs.values()].filter((r) => r.id !== first.id).map((r) => at(r, "PREPARING") - at(r, "QUEUED"));
  // What the platform could do at best with this many workers under this load: the heavier of the
  // DAG's critical chain and the total work spread over the workers.
  const lowerBound = Math.max(heaviest, durations.reduce((a, b) => a + b, 0) / WORKERS);
  // The dispatcher's own latencies: upstream FINISHED -> dependent QUEUED (trigger), and the last
  // upstream FINISHED -> READY (release from waiting).
  const runById = new Map([...runs.values()].map((r) => [r.id, r]));
  const trigger: number[] = [];
  const release: number[] = [];
  for (const id of all.slice(1)) {
    const r = runs.get(id)!;
    const cause = runById.get(/\(run (\w+)\)/.exec(r.triggeredBy)?.[1] ?? "");
    if (cause) trigger.push(at(r, "QUEUED") - ended(cause));
    release.push(at(r, "READY") - Math.max(...(upstreams.get(id) ?? []).map((u) => ended(runs.get(u)!))));
  }
  const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.99 * xs.length))]!;

  console.log(`DAG of ${all.length} stacks in ${LAYERS.length} layers (${LAYERS.join(", ")}), triggered at the root, ${WORKERS} workers`);
  console.log(`  wall time ${s(wall)} (root QUEUED -> last FINISHED)`);
  console.log(`  single run alone (QUEUED -> FINISHED): median ${s(singleMedian)} (before: ${before.map(s).join(", ")}; after: ${after.map(s).join(", ")})`);
  console.log(`  critical path: ${LAYERS.length} x single run = ${s(criticalPath)}; ratio wall / critical path = ${(wall / criticalPath).toFixed(2)}x (target <= 1.3x)`);
  console.log(`  runs in the DAG took (PREPARING -> FINISHED) median ${s(median(durations))}, max ${s(Math.max(...durations))}: the 8 concurrent terraform processes share the machine's cores`);
  console.log(`  heaviest chain of the DAG's own run times ${s(heaviest)}; wall / heaviest chain = ${(wall / heaviest).toFixed(2)}x (scheduling and worker-count overhead alone)`);
  console.log(`  lower bound max(heaviest chain, total run time / ${WORKERS} workers) ${s(lowerBound)}; wall / lower bound = ${(wall / lowerBound).toFixed(2)}x`);
  console.log(`  downstream runs QUEUED -> PREPARING: median ${s(median(waits))} (waiting for upstreams and a free worker)`);
  console.log(`  dispatcher: upstream FINISHED -> dependent QUEUED median ${median(trigger).toFixed(0)} ms, p99 ${p99(trigger).toFixed(0)} ms (${trigger.length} triggers); last upstream FINISHED -> READY median ${median(release).toFixed(0)} ms, p99 ${p99(release).toFixed(0)} ms`);
  await worker.stop();
  await server.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
