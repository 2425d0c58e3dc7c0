/**
 * What every chaos scenario starts from: a Gantry installation as real processes (a `gantry
 * server` on SQLite or PostgreSQL, or `gantry up`), a private worker pool with remote workers, an
 * admin client and a local git repository with terraform code. Everything listens on loopback.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient, type RunDetail } from "@gantry/contract";
import { makeRepo, type Repo } from "../../apps/worker/test/fixtures.js";
import { freePort } from "../postgres-server.js";
import { spawnGantry, startRemoteWorker, type GantryProcess } from "../resilience/cluster.js";

/** Applies for a few seconds, so a process can be killed while terraform runs. */
export const slowConfig = (value: string, seconds = 4) => `
resource "terraform_data" "slow" {
  input = "${value}"
  provisioner "local-exec" {
    command = "sleep ${seconds}"
  }
}
output "value" {
  value = terraform_data.slow.output
}
`;

export interface Rig {
  url: string;
  admin: GantryClient;
  adminKey: string;
  dataDir: string;
  server: GantryProcess;
  /** Starts the server again on the same data, port and settings (after a kill). */
  restartServer(): Promise<void>;
  poolId: string;
  poolToken: string;
  worker(name: string): Promise<GantryProcess>;
  repo: Repo;
  /** Every process started, for the scenario's cleanup. */
  processes: GantryProcess[];
  close(): Promise<void>;
}

export interface RigOptions {
  /** A PostgreSQL database URL; SQLite in the data directory otherwise. */
  databaseUrl?: string;
  /** `gantry up` (server and an in-process worker in one process) instead of `gantry server`. */
  embedded?: boolean;
  heartbeatTimeoutSeconds?: number;
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-chaos-"));
  const port = await freePort();
  const env: Record<string, string> = {
    GANTRY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    GANTRY_WORKER_HEARTBEAT_TIMEOUT_SECONDS: String(opts.heartbeatTimeoutSeconds ?? 6),
    GANTRY_VCS_POLL_SECONDS: "0",
    GANTRY_LOG_LEVEL: "info",
    ...(opts.databaseUrl ? { GANTRY_DATABASE_URL: opts.databaseUrl } : {}),
  };
  const processes: GantryProcess[] = [];
  const start = async () => {
    const p = opts.embedded
      ? spawnGantry(["up", "--port", String(port), "--data-dir", dataDir], env)
      : spawnGantry(["server", "--port", String(port), "--data-dir", dataDir], env);
    processes.push(p);
    await p.waitFor(opts.embedded ? /press Ctrl\+C to stop/ : /listening at/);
    return p;
  };
  const rig = {} as Rig;
  rig.server = await start();
  const url = `http://127.0.0.1:${port}`;
  const adminKey = readFileSync(join(dataDir, "admin-api-key"), "utf8").trim();
  const admin = new GantryClient({ baseUrl: url, token: adminKey });
  const pool = await admin.call("createWorkerPool", { body: { name: `chaos-${randomBytes(3).toString("hex")}` } });
  Object.assign(rig, {
    url,
    admin,
    adminKey,
    dataDir,
    poolId: pool.pool.id,
    poolToken: pool.token,
    repo: makeRepo({ "main.tf": slowConfig("v0") }),
    processes,
    async restartServer() {
      rig.server = await start();
    },
    async worker(name: string) {
      const w = await startRemoteWorker([url], pool.token, name);
      processes.push(w);
      return w;
    },
    async close() {
      await Promise.all(processes.map((p) => p.kill("SIGKILL")));
    },
  });
  return rig;
}

const terminal = new Set(["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"]);

/** Polls the run until it is in one of `states` (default: terminal), riding out a server that is down. */
export async function awaitRun(admin: GantryClient, id: string, states?: string[], timeoutMs = 180_000): Promise<RunDetail> {
  const deadline = Date.now() + timeoutMs;
  let last = "unknown";
  for (;;) {
    try {
      const run = await admin.call("getRun", { params: { id } });
      last = run.state;
      if (states ? states.includes(run.state) : terminal.has(run.state)) return run;
    } catch {
      // the server is being killed or restarted: keep asking
    }
    if (Date.now() > deadline) throw new Error(`run ${id} still ${last} after ${timeoutMs / 1000} s: stuck`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Fails the scenario with `what` unless `ok`. */
export function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}
