/**
 * `npm run bench:rego`: the plan-policy workload (bench/plan-workload.ts) in BENCH_RUNS fresh
 * processes (default 5: issue #19's headline is the median of five runs), then workloads 2 and 3
 * (bench/workloads.ts) and the policy what-if (bench/simulate-workload.ts). The engine is first
 * bundled with esbuild, the way `npm run build` ships it: tsx's transform keeps function names
 * (`keepNames`), which wraps every closure and makes the engine several times slower than the
 * shipped code. `--no-bundle` runs the TypeScript sources under tsx instead (one plan run, in
 * this process).
 */
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { PlanFigures } from "./plan-workload.js";

interface Workloads { runAll(): void }
interface Simulation { runSimulation(): void }
interface Plan { measurePlan(): PlanFigures; printPlan(f: PlanFigures): void; printRuns(runs: PlanFigures[]): void }

const here = (file: string): string => new URL(file, import.meta.url).pathname;
const entries = { plan: here("./plan-workload.ts"), workloads: here("./workloads.ts"), simulation: here("./simulate-workload.ts") };
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5) || 5);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(", ");

console.log(`load average at start: ${load()} (${runs} plan run${runs === 1 ? "" : "s"}; BENCH_RUNS to change)`);
if (process.argv.includes("--no-bundle")) {
  console.log("(running TypeScript sources under tsx)\n");
  const plan = (await import(entries.plan)) as Plan;
  plan.printPlan(plan.measurePlan());
  ((await import(entries.workloads)) as Workloads).runAll();
  ((await import(entries.simulation)) as Simulation).runSimulation();
} else {
  // Inside node_modules so the bundles resolve their npm dependencies (kept external).
  const cache = here("../../../node_modules/.cache/");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "rego-bench-"));
  try {
    const bundle = async (entry: string, name: string): Promise<string> => {
      const outfile = join(dir, name);
      await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
      return outfile;
    };
    const planFile = await bundle(entries.plan, "plan-workload.mjs");
    console.log("(engine bundled with esbuild as `npm run build` does; --no-bundle for tsx)\n");
    // Each run in a new process: a run's JIT and heap state cannot carry over to the next.
    const figures: PlanFigures[] = [];
    for (let r = 0; r < runs; r++) {
      const out = execFileSync(process.execPath, [planFile, "--plan-json"], { encoding: "utf8" });
      figures.push(JSON.parse(out.trim().split("\n").pop()!) as PlanFigures);
    }
    const plan = (await import(pathToFileURL(planFile).href)) as Plan;
    plan.printPlan(figures[0]!);
    if (runs > 1) plan.printRuns(figures);
    console.log(`   load average after the plan runs: ${load()}`);
    ((await import(pathToFileURL(await bundle(entries.workloads, "workloads.mjs")).href)) as Workloads).runAll();
    ((await import(pathToFileURL(await bundle(entries.simulation, "simulate-workload.mjs")).href)) as Simulation).runSimulation();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
