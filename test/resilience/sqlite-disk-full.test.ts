/**
 * The embedded SQLite database on a full disk (a small tmpfs; mounting needs root, so the test
 * is skipped, visibly, elsewhere): writes answer 503 in the error envelope saying the disk is
 * full, reads keep working, and once there is room again every write that was acknowledged is
 * there and the database is intact.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryApiError, GantryClient } from "@gantry/contract";
import SQLite from "better-sqlite3";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../../apps/server/src/index.js";

const dataDir = mkdtempSync(join(tmpdir(), "gantry-full-"));
let mounted = false;
try {
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", dataDir], { stdio: "ignore" });
  mounted = true;
} catch {
  // not root, or no mount in this container: the test below reports itself skipped
}

describe.skipIf(!mounted)("SQLite on a full disk", () => {
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.close().catch(() => undefined);
    if (mounted) execFileSync("umount", ["-l", dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 503 'disk is full', loses no acknowledged write, and recovers when there is room", async () => {
    // No shipped providers: publishing them at start-up (about 2 MB of zips into the blob store)
    // would fill this 3 MB disk before the test's own writes begin.
    const noShippedProviders = join(tmpdir(), "gantry-no-shipped-providers");
    const config = loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64"), vcsPollSeconds: 0, shippedProvidersDir: noShippedProviders }, env: {} });
    server = await startServer(config, { log: pino({ level: "silent" }) });
    const admin = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
    const stack = await admin.call("createStack", { body: { name: "full", repository: "/srv/x.git" } });
    const acknowledged: string[] = [];
    let refusal: GantryApiError | undefined;
    for (let i = 0; i < 200 && !refusal; i++) {
      const name = `V${i}`;
      try {
        await admin.call("putStackVariable", { params: { id: stack.id, name }, body: { value: randomBytes(48 * 1024).toString("base64"), writeOnly: false } });
        acknowledged.push(name);
      } catch (err) {
        if (!(err instanceof GantryApiError)) throw err;
        refusal = err;
      }
    }
    expect(refusal, "the disk never filled up").toBeDefined();
    expect(refusal!.status).toBe(503);
    expect(refusal!.code).toBe("unavailable");
    expect(refusal!.message).toContain("the database disk is full");
    expect(acknowledged.length).toBeGreaterThan(3);
    // Reads still work on a full disk.
    expect((await admin.call("getStack", { params: { id: stack.id } })).name).toBe("full");

    execFileSync("mount", ["-o", "remount,size=64m", dataDir]);
    await server.close();
    server = await startServer(config, { log: pino({ level: "silent" }) });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const db = new SQLite(join(dataDir, "gantry.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const stored = db.prepare("select name from config_elements where owner_id = ? and kind = 'variable'").all(stack.id) as { name: string }[];
      expect(stored.map((r) => r.name).sort()).toEqual([...acknowledged].sort());
    } finally {
      db.close();
    }
  }, 120_000);
});
