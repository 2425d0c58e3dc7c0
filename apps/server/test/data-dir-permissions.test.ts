/**
 * The data directory and the SQLite files hold run logs and encrypted secrets: owner only,
 * whatever the umask the server was started with.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, startServer } from "../src/index.js";

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("data directory permissions", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it.each([
    ["a fresh directory", false],
    ["an existing directory created world-readable", true],
  ])("creates %s 0700 and the database files 0600 under umask 000", async (_what, preexisting) => {
    const base = mkdtempSync(join(tmpdir(), "gantry-perm-"));
    dirs.push(base);
    const dataDir = join(base, "data");
    const previous = process.umask(0o000);
    try {
      if (preexisting) mkdirSync(dataDir, { mode: 0o777 });
      const server = await startServer(loadConfig({ argv: { port: 0, dataDir }, env: {} }), { log: pino({ level: "silent" }) });
      try {
        // A write, so the WAL and shared-memory files exist.
        const res = await fetch(`${server.url}/api/v1/spaces`, { method: "POST", headers: { authorization: `Bearer ${server.adminApiKey}`, "content-type": "application/json" }, body: JSON.stringify({ name: `s-${randomBytes(3).toString("hex")}` }) });
        expect(res.status).toBe(201);
        expect(mode(dataDir)).toBe("700");
        for (const f of ["gantry.db", "gantry.db-wal", "gantry.db-shm", "encryption.key", "admin-api-key"]) {
          expect(existsSync(join(dataDir, f)), f).toBe(true);
          expect(mode(join(dataDir, f)), f).toBe("600");
        }
      } finally {
        await server.close();
      }
    } finally {
      process.umask(previous);
    }
  });
});
