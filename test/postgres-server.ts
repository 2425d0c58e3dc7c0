/**
 * A throwaway PostgreSQL server for tests, started from the machine's own `initdb` and
 * `pg_ctl` on a temporary directory and a free port. As root the server runs as the
 * `postgres` system user, because `initdb` and `postgres` refuse to run as root.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PostgresServer {
  /** Connection URL of the `postgres` database as superuser `postgres`. */
  url: string;
  port: number;
  /** Stops the server as an outage would (fast shutdown: clients are cut off), keeping its data. */
  halt(): void;
  /** Starts a halted server again on the same port and data. */
  resume(): void;
  stop(): void;
}

function findBinary(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = join(base, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  throw new Error(`cannot find PostgreSQL's ${name}: install the postgresql package (scripts/ensure-system.sh does it)`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const initdb = findBinary("initdb");
  const pgCtl = findBinary("pg_ctl");
  const dir = mkdtempSync(join(tmpdir(), "gantry-pg-"));
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]) => {
    const cmd = asRoot ? "runuser" : bin;
    const full = asRoot ? ["-u", "postgres", "--", bin, ...args] : args;
    execFileSync(cmd, full, { stdio: ["ignore", "pipe", "pipe"] });
  };
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run(initdb, ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
  const start = () =>
    run(pgCtl, [
      "-D", join(dir, "data"), "-l", join(dir, "log"), "-w",
      "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "start",
    ]);
  start();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    halt: () => run(pgCtl, ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"]),
    resume: start,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(pgCtl, ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
