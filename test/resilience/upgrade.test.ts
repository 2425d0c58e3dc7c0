/**
 * Start-up refusals that protect a database: one migrated by a newer Gantry (a downgrade) and a
 * server given another encryption key than the database's. Both are refused before anything is
 * written, with a message saying what to do, on both dialects.
 */
import { randomBytes } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { loadConfig, startServer } from "../../apps/server/src/index.js";
import { dialects, dumpTable, rawSql, startTestServer } from "../../apps/server/test/harness.js";

describe.each(dialects)("start-up refusals (%s)", (dialect) => {
  it("refuses a database from a newer version, and a wrong encryption key, changing nothing", async () => {
    const t = await startTestServer(dialect);
    const stack = await t.admin.call("createStack", { body: { name: "kept", repository: "/srv/x.git" } });
    await t.server.close();
    const argv = { port: 0, dataDir: t.dataDir, databaseUrl: t.databaseUrl };
    const log = pino({ level: "silent" });

    await expect(startServer(loadConfig({ argv: { ...argv, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log })).rejects.toThrow("the encryption key does not match this database");

    await rawSql(t, `insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`);
    const before = await dumpTable(t, "kysely_migration");
    const refused = startServer(loadConfig({ argv: { ...argv, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log });
    await expect(refused).rejects.toThrow(/upgraded by a newer Gantry: it has migration 9999-from-the-future.*Downgrades are not supported/);
    expect(await dumpTable(t, "kysely_migration")).toBe(before);
    expect(await dumpTable(t, "stacks")).toContain(stack.id);
    const { rmSync } = await import("node:fs");
    rmSync(t.dataDir, { recursive: true, force: true });
  });
});
