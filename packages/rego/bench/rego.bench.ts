/**
 * `npm run bench:rego`: runs bench/workloads.ts. The engine is first bundled with esbuild, the way
 * `npm run build` ships it: tsx's transform keeps function names (`keepNames`), which wraps every
 * closure the continuation-passing evaluator creates and makes it several times slower than the
 * shipped code. `--no-bundle` runs the TypeScript sources under tsx instead.
 */
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface Workloads { runAll(): void }
interface Simulation { runSimulation(): void }

const entry = new URL("./workloads.ts", import.meta.url).pathname;
/** Issue #14's policy what-if case, in its own file (bench/simulate-workload.ts). */
const simulationEntry = new URL("./simulate-workload.ts", import.meta.url).pathname;

if (process.argv.includes("--no-bundle")) {
  console.log("(running TypeScript sources under tsx)\n");
  ((await import(entry)) as Workloads).runAll();
  ((await import(simulationEntry)) as Simulation).runSimulation();
} else {
  // Inside node_modules so the bundle resolves its npm dependencies (kept external).
  const cache = new URL("../../../node_modules/.cache/", import.meta.url).pathname;
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "rego-bench-"));
  try {
    const outfile = join(dir, "workloads.mjs");
    await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
    console.log("(engine bundled with esbuild as `npm run build` does; --no-bundle for tsx)\n");
    ((await import(pathToFileURL(outfile).href)) as Workloads).runAll();
    await runSimulationBundled(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The what-if case, bundled like the other workloads. */
async function runSimulationBundled(dir: string): Promise<void> {
  const outfile = join(dir, "simulate-workload.mjs");
  await build({ entryPoints: [simulationEntry], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
  ((await import(pathToFileURL(outfile).href)) as Simulation).runSimulation();
}
