/**
 * `npm run bench:admin`: plan time of an administrative stack managing 40 stacks, with the
 * Gantry provider started by terraform for each command (normal) against one provider per run
 * phase that terraform reattaches to (the worker's default), in the same session.
 *
 * A real server (SQLite), the real worker, real git and terraform. The management stack (the
 * acceptance test's module: spaces, policies, and per environment a stack, a context with a
 * variable and the attachment, so 40 x 4 + 9 resources) is applied once; then PROPOSED runs
 * alternate between the modes. Plan time is the run's PLANNING phase (terraform plan, show
 * -json and the report: every resource refreshed through the API); init is reported apart.
 * Options: BENCH_RUNS (default 5) runs per mode, BENCH_STACKS (default 40).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GantryClient, type RunDetail, type RunState } from "@gantry/contract";
import { loadConfig, startServer } from "@gantry/server";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import pino from "pino";
import { configYaml, managementModule, policies } from "../../../test/e2e/admin-stacks-repo.js";
import { startWorker } from "../src/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STACKS = Number(process.env.BENCH_STACKS ?? 40);
const root = join(import.meta.dirname, "..", "..", "..");
const terminal: RunState[] = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const at = (r: RunDetail, s: RunState) => Date.parse(r.history.find((h) => h.to === s)!.at);

function infraRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "gantry-bench-admin-repo-"));
  const files: Record<string, string> = { "spacelift/management/main.tf": managementModule, ...policies };
  for (let i = 1; i <= STACKS; i++) {
    files[`environments/env-${String(i).padStart(2, "0")}/config.yaml`] = configYaml({ name: `env ${i}`, space: ["sandbox", "staging", "prod"][i % 3]!, labels: [`env:${i}`, "team:bench"], variables: { TF_VAR_environment: `env-${i}` } });
  }
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  const git = (...a: string[]) => execFileSync("git", a, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@x", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@x" } });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "bench");
  return dir;
}

async function waitRun(api: GantryClient, id: string): Promise<RunDetail> {
  for (;;) {
    const r = await api.call("getRun", { params: { id } });
    if (terminal.includes(r.state)) {
      if (r.state !== "FINISHED") {
        const { entries } = await api.call("runLogs", { params: { id }, query: {} });
        throw new Error(`run ${id} ended ${r.state}: ${r.failureReason}\n${entries.map((e) => e.text).join("").slice(-3000)}`);
      }
      return r;
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-bench-admin-"));
  const binary = join(dataDir, "provider", "terraform-provider-gantry");
  await buildProviderBinary({ entry: join(root, "packages/providers/src/gantry/main.ts"), outFile: binary });
  const mirror = join(dataDir, "mirror");
  await layoutMirror({ mirrorDir: mirror, host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0", binary });
  const server = await startServer(loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log: pino({ level: "silent" }) });
  const api = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
  const token = await server.mintWorkerToken();
  const withWorker = async <T>(reattach: boolean, fn: () => Promise<T>): Promise<T> => {
    const worker = startWorker({ serverUrl: server.url, token, workDir: join(dataDir, "worker"), providerMirror: mirror, providerReattach: reattach, claimWaitMs: 2000 });
    await worker.ready;
    try {
      return await fn();
    } finally {
      await worker.stop();
    }
  };
  try {
    const repository = infraRepo();
    await api.call("createStack", { body: { id: "management", name: "management", repository, projectRoot: "spacelift/management", administrative: true, autodeploy: true } });
    const tfVersion = /"terraform_version":\s*"([^"]+)"/.exec(execFileSync("terraform", ["version", "-json"], { env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } }).toString())?.[1];
    console.log(`terraform ${tfVersion}, node ${process.version}, SQLite; management stack of ${STACKS} stacks\n`);

    const setup = await withWorker(true, async () => waitRun(api, (await api.call("createRun", { params: { id: "management" }, body: { type: "TRACKED" } })).id));
    const created = (await api.call("listStacks", { query: { limit: 500 } })).items.length - 1;
    console.log(`setup: tracked run applied ${JSON.stringify(setup.delta)} (${created} stacks) in ${((at(setup, "FINISHED") - at(setup, "PREPARING")) / 1000).toFixed(1)} s\n`);

    const times = { normal: { plan: [] as number[], init: [] as number[] }, reattach: { plan: [] as number[], init: [] as number[] } };
    for (let i = 0; i < RUNS; i++) {
      for (const mode of i % 2 === 0 ? (["normal", "reattach"] as const) : (["reattach", "normal"] as const)) {
        const run = await withWorker(mode === "reattach", async () => waitRun(api, (await api.call("createRun", { params: { id: "management" }, body: { type: "PROPOSED" } })).id));
        if (run.delta && run.delta.added + run.delta.changed + run.delta.deleted > 0) throw new Error(`the plan should have no changes: ${JSON.stringify(run.delta)}`);
        times[mode].plan.push(at(run, "FINISHED") - at(run, "PLANNING"));
        times[mode].init.push(at(run, "PLANNING") - at(run, "INITIALIZING"));
      }
    }
    const row = (mode: "normal" | "reattach") =>
      `${mode.padEnd(9)} plan median ${median(times[mode].plan)} ms, min ${Math.min(...times[mode].plan)} ms (runs: ${times[mode].plan.join(", ")}); init median ${median(times[mode].init)} ms`;
    console.log(row("normal"));
    console.log(row("reattach"));
    const ratio = (f: (xs: number[]) => number) => (f(times.normal.plan) / f(times.reattach.plan)).toFixed(2);
    console.log(`\nplan time normal / reattach: ${ratio(median)}x by median, ${ratio((xs) => Math.min(...xs))}x by minimum (the machine's load moves medians)`);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
