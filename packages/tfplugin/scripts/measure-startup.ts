/**
 * Measures how long the test provider takes from spawn to its go-plugin handshake line
 * (with AutoMTLS, as under terraform), with and without the V8 code cache the launcher keeps,
 * next to a bare `node -e 0`.
 *
 * Run: npx tsx packages/tfplugin/scripts/measure-startup.ts [runs]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureHandshake } from "../src/index.js";
import { buildProviderBinary } from "../src/packaging/index.js";

const runs = Number(process.argv[2] ?? 15);
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tfplugin-startup-"));
const entry = join(here, "..", "test", "fixture", "main.ts");
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

try {
  const binary = join(dir, "provider");
  await buildProviderBinary({ entry, outFile: binary });
  const cacheEnv = { TFPLUGIN_CODE_CACHE_DIR: join(dir, "cache") };
  await measureHandshake(binary, { env: cacheEnv }); // the first launch writes the cache
  const results: Record<string, number[]> = { "node -e 0": [], "bundle + code cache": [], "bundle, no cache": [] };
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"]);
    results["node -e 0"]!.push(Number(process.hrtime.bigint() - t) / 1e6);
    results["bundle + code cache"]!.push((await measureHandshake(binary, { env: cacheEnv })).ms);
    results["bundle, no cache"]!.push((await measureHandshake(binary, { env: { TFPLUGIN_CODE_CACHE: "0" } })).ms);
  }
  for (const [name, xs] of Object.entries(results)) console.log(`${name.padEnd(22)} median ${median(xs).toFixed(1)} ms  min ${Math.min(...xs).toFixed(1)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
