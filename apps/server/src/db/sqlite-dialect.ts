import type SQLite from "better-sqlite3";
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from "kysely";

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, ...).
 * Kysely then sends its own ROLLBACK, which fails with "no transaction is active" and replaces
 * the real error, so a full disk would surface as a puzzling 500. This driver skips the ROLLBACK
 * when SQLite already ended the transaction, letting the original error through.
 */
class RollbackAwareSqliteDriver extends SqliteDriver {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite });
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.sqlite.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

/** Kysely's SQLite dialect on one better-sqlite3 database, with the rollback fix above. */
export class GantrySqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new RollbackAwareSqliteDriver(this.sqlite);
  }
}
