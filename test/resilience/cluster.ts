/**
 * Gantry as separate processes, the way an operator runs it, so tests and the chaos suite can
 * SIGKILL any of them: `gantry server` replicas, `gantry up`, `gantry worker`s. Each process is
 * the real CLI (`apps/cli/src/main.ts` under tsx); only loopback addresses are used.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";

const main = fileURLToPath(new URL("../../apps/cli/src/main.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface GantryProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (waiting for it). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends `signal` and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Starts `gantry <args>` with only the environment given (plus PATH and HOME); `cliMain` runs
 * another checkout's CLI (the upgrade test's older release).
 */
export function spawnGantry(args: string[], env: Record<string, string> = {}, cliMain = main): GantryProcess {
  const child = spawn(process.execPath, ["--import", tsx, cliMain, ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const waiters = new Set<() => void>();
  const append = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => (done(), reject(new Error(`gantry ${args[0]} did not print ${pattern} within ${timeoutMs} ms:\n${out}`))), timeoutMs);
        const done = () => (clearTimeout(timer), waiters.delete(check));
        void exited.then((code) => (done(), reject(new Error(`gantry ${args[0]} exited (${code}) before printing ${pattern}:\n${out}`))));
        waiters.add(check);
        check();
      });
    },
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface Replica extends GantryProcess {
  url: string;
  dataDir: string;
}

/** A `gantry server` replica on `databaseUrl`; the first one on a new database writes the admin key to its data dir. */
export async function startReplica(databaseUrl: string, encryptionKey: string, extra: Record<string, string> = {}): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-replica-"));
  const p = spawnGantry(["server", "--port", "0", "--data-dir", dataDir, "--log-level", "warn"], { GANTRY_DATABASE_URL: databaseUrl, GANTRY_ENCRYPTION_KEY: encryptionKey, ...extra });
  const [, url] = await p.waitFor(/listening at (http:\/\/\S+)/);
  return { ...p, url: url!, dataDir };
}

/** A `gantry worker` of a private pool, given one or more server URLs (tried in order). */
export async function startRemoteWorker(urls: string[], token: string, name: string): Promise<GantryProcess> {
  const p = spawnGantry(["worker", "--url", urls.join(","), "--name", name, "--work-dir", mkdtempSync(join(tmpdir(), "gantry-worker-"))], { GANTRY_WORKER_TOKEN: token });
  await p.waitFor(/worker connected/);
  return p;
}

/** A new, empty database on the PostgreSQL server at `baseUrl`, and its URL. */
export async function createDatabase(baseUrl: string): Promise<string> {
  const name = `gantry_${randomBytes(6).toString("hex")}`;
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  return baseUrl.replace(/\/[^/]*$/, `/${name}`);
}

/** The background subsystems a replica reports on `/readyz` (empty when it is not ready). */
export async function subsystemsOf(url: string): Promise<{ name: string; state: string }[]> {
  try {
    const res = await fetch(`${url}/readyz`);
    if (!res.ok) return [];
    return ((await res.json()) as { subsystems: { name: string; state: string }[] }).subsystems;
  } catch {
    return [];
  }
}

/** Polls `check` every 200 ms until it returns a value, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
