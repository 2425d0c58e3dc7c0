/**
 * `gantry admin backup|restore`: the embedded SQLite database, copied online and restored with
 * its encryption key given explicitly. They work on the data directory itself (like `gantry up`),
 * not through the API, so they load the server package only when run.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { CliError, usageError } from "../errors.js";
import type { Runtime } from "../runtime.js";

interface Location {
  dataDir?: string;
  databaseUrl?: string;
}

/** The database file the server of this data directory uses, as `gantry up`/`server` resolve it. */
function databasePath(rt: Runtime, o: Location): { dataDir: string; database: string } {
  const dataDir = resolve(o.dataDir ?? rt.env.GANTRY_DATA_DIR ?? ".gantry");
  const url = o.databaseUrl ?? rt.env.GANTRY_DATABASE_URL;
  return { dataDir, database: url ? (/^postgres(ql)?:\/\//.test(url) ? url : resolve(url)) : join(dataDir, "gantry.db") };
}

/** The key from --encryption-key-file, --encryption-key or GANTRY_ENCRYPTION_KEY; refusing to guess. */
function explicitKey(rt: Runtime, o: { encryptionKey?: string; encryptionKeyFile?: string }): Buffer {
  let text = o.encryptionKey ?? (o.encryptionKeyFile ? undefined : rt.env.GANTRY_ENCRYPTION_KEY);
  if (o.encryptionKeyFile) {
    if (!existsSync(o.encryptionKeyFile)) throw usageError(`--encryption-key-file ${o.encryptionKeyFile} does not exist`);
    text = readFileSync(o.encryptionKeyFile, "utf8").trim();
  }
  if (!text) {
    throw usageError(
      "restoring needs the encryption key of the installation the backup came from: pass --encryption-key-file <file> (e.g. its data directory's encryption.key) or set GANTRY_ENCRYPTION_KEY; without it the restored secrets could never be read",
    );
  }
  const key = Buffer.from(text, "base64");
  if (key.length !== 32) throw usageError("the encryption key must be base64 of 32 bytes, as in the data directory's encryption.key");
  return key;
}

/** Adds `backup` and `restore` to `gantry admin`. */
export function adminBackupCommands(rt: Runtime, admin: Command): void {
  admin
    .command("backup <file>")
    .description("copy the embedded SQLite database to <file> while the server runs (the encryption key is NOT included: keep it apart)")
    .option("--data-dir <dir>", "the server's data directory (env GANTRY_DATA_DIR, default .gantry)")
    .option("--database-url <path>", "the database file, if not <data-dir>/gantry.db (env GANTRY_DATABASE_URL)")
    .action(async (file: string, o: Location) => {
      const { backupDatabase, BackupError } = await import("@gantry/server");
      const { dataDir, database } = databasePath(rt, o);
      try {
        const { bytes } = await backupDatabase(database, resolve(file));
        rt.out(`backed up ${database} to ${resolve(file)} (${bytes} bytes)`);
        rt.err(`the backup does not contain the encryption key: keep ${join(dataDir, "encryption.key")} (or GANTRY_ENCRYPTION_KEY) safe and apart from it; restoring needs both`);
      } catch (err) {
        if (err instanceof BackupError) throw new CliError("api", err.message);
        throw err;
      }
    });
  admin
    .command("restore <file>")
    .description("replace the embedded database with a backup (stop the server first); needs the backup's encryption key")
    .option("--data-dir <dir>", "the server's data directory (env GANTRY_DATA_DIR, default .gantry)")
    .option("--database-url <path>", "the database file, if not <data-dir>/gantry.db (env GANTRY_DATABASE_URL)")
    .option("--encryption-key-file <file>", "file holding the backup's encryption key (base64), e.g. the old data directory's encryption.key")
    .option("--encryption-key <base64>", "the backup's encryption key (prefer the file or env GANTRY_ENCRYPTION_KEY)")
    .option("--force", "replace an existing database")
    .action(async (file: string, o: Location & { encryptionKey?: string; encryptionKeyFile?: string; force?: boolean }) => {
      const key = explicitKey(rt, o);
      const { restoreDatabase, BackupError } = await import("@gantry/server");
      const { dataDir, database } = databasePath(rt, o);
      try {
        await restoreDatabase(resolve(file), database, key, { force: o.force });
      } catch (err) {
        if (err instanceof BackupError) throw new CliError("api", err.message);
        throw err;
      }
      rt.out(`restored ${resolve(file)} into ${database}`);
      // Embedded mode reads its key from the data directory: leave the one the data needs there.
      if (!rt.env.GANTRY_ENCRYPTION_KEY) {
        writeFileSync(join(dataDir, "encryption.key"), key.toString("base64") + "\n", { mode: 0o600 });
        chmodSync(join(dataDir, "encryption.key"), 0o600);
        rt.out(`wrote the backup's encryption key to ${join(dataDir, "encryption.key")} (mode 0600)`);
      } else rt.out("start the server with the same GANTRY_ENCRYPTION_KEY");
    });
}
