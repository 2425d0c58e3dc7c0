/**
 * Boots the real server for tests, on SQLite (a temp file) or on the throwaway PostgreSQL
 * started by the global setup (a fresh database per server), and gives a small typed client.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryApiError, GantryClient } from "@gantry/contract";
import SQLite from "better-sqlite3";
import pg from "pg";
import pino from "pino";
import { expect, inject } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../src/index.js";

export type DialectName = "sqlite" | "postgres";
export const dialects: DialectName[] = ["sqlite", "postgres"];

export interface TestServer {
  server: RunningServer;
  url: string;
  adminKey: string;
  admin: GantryClient;
  dataDir: string;
  databaseUrl: string;
  client(token?: string): GantryClient;
  /** Raw HTTP for cases the typed client cannot express (malformed JSON, unknown routes). */
  raw(method: string, path: string, init?: { token?: string; body?: string; headers?: Record<string, string> }): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<string> {
  const base = inject("postgresUrl");
  const name = `gantry_${randomBytes(6).toString("hex")}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  return base.replace(/\/[^/]*$/, `/${name}`);
}

export async function startTestServer(dialect: DialectName): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-test-"));
  const databaseUrl = dialect === "postgres" ? await createPostgresDatabase() : join(dataDir, "gantry.db");
  const config = loadConfig({
    argv: { port: 0, dataDir, databaseUrl, encryptionKey: randomBytes(32).toString("base64") },
    env: {},
  });
  const server = await startServer(config, { log: pino({ level: "silent" }) });
  if (!server.adminApiKey) throw new Error("a fresh server must bootstrap an admin key");
  const adminKey = server.adminApiKey;
  return {
    server,
    url: server.url,
    adminKey,
    dataDir,
    databaseUrl,
    admin: new GantryClient({ baseUrl: server.url, token: adminKey }),
    client: (token) => new GantryClient({ baseUrl: server.url, token }),
    async raw(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.body !== undefined) headers["content-type"] ??= "application/json";
      const res = await fetch(server.url + path, { method, headers, body: init.body });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a user with a role on a space and returns an API key for it. */
export async function userWithRole(t: TestServer, username: string, grants: { spaceId: string; role: "read" | "write" | "admin" }[]): Promise<{ id: string; key: string }> {
  const user = await t.admin.call("createUser", { body: { username, password: "correct horse battery" } });
  for (const g of grants) await t.admin.call("createRoleBinding", { body: { ...g, subjectType: "user", subjectId: user.id } });
  const { secret } = await t.admin.call("createApiKey", { body: { name: `${username}-key`, userId: user.id } });
  return { id: user.id, key: secret };
}

/** Every row of a table, read straight from the database (to check what is stored at rest). */
/** Runs one SQL statement straight on the server's database (tampering tests), on either dialect. */
export async function rawSql(t: TestServer, statement: string): Promise<void> {
  if (!/^postgres/.test(t.databaseUrl)) {
    const db = new SQLite(t.databaseUrl);
    try {
      db.prepare(statement).run();
    } finally {
      db.close();
    }
    return;
  }
  const c = new pg.Client({ connectionString: t.databaseUrl });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

export async function dumpTable(t: TestServer, table: string): Promise<string> {
  if (!/^postgres/.test(t.databaseUrl)) {
    const db = new SQLite(t.databaseUrl, { readonly: true });
    try {
      return JSON.stringify(db.prepare(`select * from ${table}`).all());
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: t.databaseUrl });
  await c.connect();
  try {
    return JSON.stringify((await c.query(`select * from ${table}`)).rows);
  } finally {
    await c.end();
  }
}

/** The error a call that must fail rejected with (the test fails if the call succeeded). */
export async function failure(p: Promise<unknown>): Promise<GantryApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err, "the call should have failed").toBeInstanceOf(GantryApiError);
  return err as GantryApiError;
}
