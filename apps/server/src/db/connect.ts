import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, type Migration } from "kysely";
import pg from "pg";
import * as initial from "./migrations/0001-initial.js";
import * as accountIndexes from "./migrations/0003-account-indexes.js";
import * as runs from "./migrations/0002-runs.js";
import * as gitops from "./migrations/0004-gitops.js";
import * as runApiTokens from "./migrations/0005-run-api-tokens.js";
import * as runEngine from "./migrations/0006-run-engine.js";
import * as runSource from "./migrations/0007-run-source.js";
import * as runPriority from "./migrations/0008-run-priority.js";
import * as smartSanitization from "./migrations/0025-smart-sanitization.js";
import * as driftAndSchedules from "./migrations/0030-drift-and-schedules.js";
import * as notifications from "./migrations/0040-notifications.js";
import * as stackDependencies from "./migrations/0035-stack-dependencies.js";
import * as sessionLoginPolicy from "./migrations/0015-session-login-policy.js";
import * as runTriggers from "./migrations/0016-run-triggers.js";
import * as oidcKeys from "./migrations/0020-oidc-keys.js";
import * as awsIntegrationSettings from "./migrations/0021-aws-integration-settings.js";
import * as moduleRegistry from "./migrations/0050-module-registry.js";
import * as instanceSettings from "./migrations/0045-instance-settings.js";
import * as policyTestsAndVersions from "./migrations/0055-policy-tests-and-versions.js";
import * as stackVendors from "./migrations/0065-stack-vendors.js";
import * as moduleTests from "./migrations/0070-module-tests.js";
import * as providerRegistry from "./migrations/0075-provider-registry.js";
import * as registryLoginCodes from "./migrations/0076-registry-login-codes.js";
import * as stackOutputChanges from "./migrations/0090-stack-output-changes.js";
import * as moduleVersionPublisher from "./migrations/0091-module-version-publisher.js";
import * as providerVersionYank from "./migrations/0095-provider-version-yank.js";
import * as shippedProviderFingerprint from "./migrations/0096-shipped-provider-fingerprint.js";
import * as runProviderPins from "./migrations/0097-run-provider-pins.js";
import * as runsRecentFailures from "./migrations/0100-runs-recent-failures.js";
import * as policyBodies from "./migrations/0104-policy-bodies.js";
import * as stackLockNote from "./migrations/0105-stack-lock-note.js";
import type { Database } from "./schema.js";
import type {} from "./schema-providers.js";
import { GantrySqliteDialect } from "./sqlite-dialect.js";

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
  "0025-smart-sanitization": smartSanitization,
  "0030-drift-and-schedules": driftAndSchedules,
  "0040-notifications": notifications,
  "0035-stack-dependencies": stackDependencies,
  "0015-session-login-policy": sessionLoginPolicy,
  "0016-run-triggers": runTriggers,
  "0020-oidc-keys": oidcKeys,
  "0021-aws-integration-settings": awsIntegrationSettings,
  "0050-module-registry": moduleRegistry,
  "0045-instance-settings": instanceSettings,
  "0055-policy-tests-and-versions": policyTestsAndVersions,
  "0065-stack-vendors": stackVendors,
  "0070-module-tests": moduleTests,
  "0075-provider-registry": providerRegistry,
  "0076-registry-login-codes": registryLoginCodes,
  "0090-stack-output-changes": stackOutputChanges,
  "0091-module-version-publisher": moduleVersionPublisher,
  "0095-provider-version-yank": providerVersionYank,
  "0096-shipped-provider-fingerprint": shippedProviderFingerprint,
  "0097-run-provider-pins": runProviderPins,
  "0100-runs-recent-failures": runsRecentFailures,
  "0104-policy-bodies": policyBodies,
  "0105-stack-lock-note": stackLockNote,
};

export interface Store {
  db: Db;
  dialect: Dialect;
  /** The PostgreSQL connection pool, for its metrics (absent on SQLite). */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * Opens the database named by `url`: a `postgres://` URL selects PostgreSQL, anything else is a
 * SQLite file path (created with WAL journaling).
 */
export function openStore(url: string): Store {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // A stopped database must fail requests within seconds (503), not leave them hanging.
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
    // An idle connection the database closed (a restart) is dropped from the pool; without this
    // listener node-postgres would raise it as an unhandled error and end the process.
    pool.on("error", () => undefined);
    // The same for a connection in use (a held lock, a long poll): the query on it fails and
    // is answered 503; the process must not die of the connection's own error event.
    pool.on("connect", (client) => client.on("error", () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", pgPool: pool, close: () => db.destroy() };
  }
  if (url !== ":memory:") {
    mkdirSync(dirname(url), { recursive: true, mode: 0o700 });
    // The database holds run logs and encrypted secrets: owner only, whatever the umask.
    // SQLite gives the -wal and -shm files the database file's mode when it creates them.
    closeSync(openSync(url, "a", 0o600));
    chmodSync(url, 0o600);
  }
  const sqlite = new SQLite(url);
  sqlite.pragma("journal_mode = WAL");
  // Files left by an older version, created under the umask.
  for (const f of url === ":memory:" ? [] : [`${url}-wal`, `${url}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new GantrySqliteDialect(sqlite) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

/** Names of the migrations this version knows, in order. */
export const knownMigrations = Object.keys(migrations);

/**
 * Which known migrations the database lacks, and which applied ones this version does not know
 * (the database was upgraded by a newer Gantry).
 */
export async function migrationStatus(db: Db): Promise<{ pending: string[]; unknown: string[] }> {
  const applied = new Set<string>();
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (tables.some((t) => t.name === "kysely_migration")) {
    const rows = await db.selectFrom("kysely_migration" as never).select("name" as never).execute();
    for (const r of rows as { name: string }[]) applied.add(r.name);
  }
  return { pending: knownMigrations.filter((m) => !applied.has(m)), unknown: [...applied].filter((m) => !(m in migrations)).sort() };
}

/** Raised when the database was made or upgraded by a newer Gantry than this one. */
export class DatabaseTooNewError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `the database was upgraded by a newer Gantry: it has migration${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}, unknown to this version. ` +
        "Downgrades are not supported: run the newer version again, or restore a backup taken before the upgrade (gantry admin restore)",
    );
    this.name = "DatabaseTooNewError";
  }
}

/**
 * Applies every pending migration; fails with the migration's name and cause. A database from a
 * newer version is refused before anything is changed: its schema may mean things this code
 * does not know, and writing to it could corrupt what the newer version stored.
 */
export async function migrate(db: Db): Promise<void> {
  const { unknown } = await migrationStatus(db);
  if (unknown.length) throw new DatabaseTooNewError(unknown);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`applying database migration ${failed?.migrationName ?? "(unknown)"} failed: ${(error as Error).message}`, { cause: error });
  }
}
