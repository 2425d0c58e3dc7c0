import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from "kysely";
import pg from "pg";
import * as initial from "./migrations/0001-initial.js";
import * as accountIndexes from "./migrations/0003-account-indexes.js";
import * as runs from "./migrations/0002-runs.js";
import * as gitops from "./migrations/0004-gitops.js";
import * as runApiTokens from "./migrations/0005-run-api-tokens.js";
import * as runEngine from "./migrations/0006-run-engine.js";
import * as runSource from "./migrations/0007-run-source.js";
import * as runPriority from "./migrations/0008-run-priority.js";
import * as oidcKeys from "./migrations/0020-oidc-keys.js";
import * as awsIntegrationSettings from "./migrations/0021-aws-integration-settings.js";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;
export type Dialect = "sqlite" | "postgres";

/** Every migration, in order. Imported statically so bundles carry them. */
const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-runs": runs,
  "0003-account-indexes": accountIndexes,
  "0004-gitops": gitops,
  "0005-run-api-tokens": runApiTokens,
  "0006-run-engine": runEngine,
  "0007-run-source": runSource,
  "0008-run-priority": runPriority,
  "0020-oidc-keys": oidcKeys,
  "0021-aws-integration-settings": awsIntegrationSettings,
};

export interface Store {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * Opens the database named by `url`: a `postgres://` URL selects PostgreSQL, anything else is a
 * SQLite file path (created with WAL journaling).
 */
export function openStore(url: string): Store {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", close: () => db.destroy() };
  }
  if (url !== ":memory:") mkdirSync(dirname(url), { recursive: true });
  const sqlite = new SQLite(url);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

/** Applies every pending migration; fails with the migration's name and cause. */
export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`applying database migration ${failed?.migrationName ?? "(unknown)"} failed: ${(error as Error).message}`, { cause: error });
  }
}
