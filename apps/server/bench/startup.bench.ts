/**
 * `npm run bench:startup`: how long a server start takes on a data directory that already holds
 * the shipped providers (a restart), against the first start that publishes them. Uses the
 * providers package's built mirror (`npm run build -w @gantry/providers` first), SQLite, no
 * worker. Prints each start's time and the median of the restarts; also how long
 * publishShippedProviders alone takes on a restart. Options: BENCH_RUNS (default 5) restarts.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { loadConfig, startServer } from "../src/index.js";
import { defaultShippedProvidersDir } from "../src/providers/shipped.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const mirror = defaultShippedProvidersDir();
  if (!mirror || !existsSync(mirror)) throw new Error("no built provider mirror: run `npm run build -w @gantry/providers` first");
  const dir = mkdtempSync(join(tmpdir(), "gantry-bench-startup-"));
  const encryptionKey = randomBytes(32).toString("base64");
  const lines: string[] = [];
  // The publishing step's own time, from its log line (the rest of a start is migrations, keys, listeners).
  const log = pino({ level: "debug" }, { write: (l: string) => void lines.push(l) });
  const start = async () => {
    lines.length = 0;
    const t0 = performance.now();
    const server = await startServer(loadConfig({ argv: { port: 0, dataDir: join(dir, "data"), encryptionKey, vcsPollSeconds: 0, shippedProvidersDir: mirror }, env: {} }), { log });
    const ms = performance.now() - t0;
    await server.close();
    const publishing = lines.map((l) => JSON.parse(l) as { msg?: string; ms?: number }).find((l) => l.msg?.startsWith("shipped providers: checked"));
    return { ms, publishMs: publishing?.ms };
  };
  try {
    const first = await start();
    console.log(`first start (publishes the shipped providers): ${first.ms.toFixed(0)} ms${first.publishMs === undefined ? "" : ` (publishing ${first.publishMs.toFixed(0)} ms)`}`);
    const restarts: number[] = [];
    const publishing: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await start();
      restarts.push(r.ms);
      if (r.publishMs !== undefined) publishing.push(r.publishMs);
      console.log(`restart ${i + 1}: ${r.ms.toFixed(0)} ms${r.publishMs === undefined ? "" : ` (publishing ${r.publishMs.toFixed(1)} ms)`}`);
    }
    console.log(`median restart: ${median(restarts).toFixed(0)} ms${publishing.length ? `; median publishing step: ${median(publishing).toFixed(1)} ms` : ""} (${RUNS} restarts)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
