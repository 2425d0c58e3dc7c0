import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { keyMatches } from "../crypto/key-check.js";
import { SecretBox } from "../crypto/secret-box.js";
import { migrationStatus, openStore } from "./connect.js";

/** Why a backup or restore was refused; the message says what to do. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);

function refusePostgres(url: string, what: string): void {
  if (isPostgres(url)) {
    throw new BackupError(`${what} works on the embedded SQLite database; for PostgreSQL use pg_dump and pg_restore, and keep GANTRY_ENCRYPTION_KEY with the dump (see docs/deployment.md)`);
  }
}

/**
 * Copies the SQLite database at `source` to `target` with SQLite's online backup API: a
 * consistent snapshot taken while the server keeps serving and runs keep writing (a write by
 * another process restarts the copy of the pages, so the result is always one committed state).
 * The encryption key is not in the backup: it must be kept apart, and a restore asks for it.
 */
export async function backupDatabase(source: string, target: string): Promise<{ bytes: number }> {
  refusePostgres(source, "gantry admin backup");
  if (!existsSync(source)) throw new BackupError(`no database at ${source}: point --data-dir (or --database-url) at the server's data`);
  if (existsSync(target)) throw new BackupError(`${target} already exists: choose a new file name, a backup never overwrites one`);
  const db = new SQLite(source, { fileMustExist: true });
  const partial = `${target}.partial`;
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new BackupError(`backing up ${source} failed: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  // Only a finished copy gets the name asked for, so a backup file is never half written.
  renameSync(partial, target);
  return { bytes: statSync(target).size };
}

/**
 * Replaces the database at `target` with the backup `source`, after checking the backup is
 * whole (integrity check), not from a newer Gantry, and encrypted with `encryptionKey`: a
 * restore without the right key would bring back a database whose secrets nobody can read.
 * The server must be stopped; the old database is replaced only once the copy is verified.
 */
export async function restoreDatabase(source: string, target: string, encryptionKey: Buffer, opts: { force?: boolean } = {}): Promise<void> {
  refusePostgres(target, "gantry admin restore");
  if (!existsSync(source)) throw new BackupError(`no backup file at ${source}`);
  if (existsSync(target) && !opts.force) throw new BackupError(`a database already exists at ${target}: stop the server, then pass --force to replace it`);
  const box = new SecretBox(encryptionKey);
  const staging = `${target}.restoring`;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  rmSync(staging, { force: true });
  const from = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const check = from.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new BackupError(`${source} is damaged (integrity check: ${String(check)}): use another backup`);
    await from.backup(staging);
  } catch (err) {
    rmSync(staging, { force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${source} is not a Gantry backup (${(err as Error).message})`);
  } finally {
    from.close();
  }
  const store = openStore(staging);
  try {
    const { unknown } = await migrationStatus(store.db);
    if (unknown.length) throw new BackupError(`the backup was made by a newer Gantry (migrations ${unknown.join(", ")}): restore it with that version`);
    if (!(await keyMatches(store.db, box))) throw new BackupError("the encryption key does not open this backup: give the key of the installation the backup was taken from");
  } catch (err) {
    await store.close();
    rmSync(staging, { force: true });
    throw err;
  }
  await store.close();
  for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  rmSync(`${staging}-wal`, { force: true });
  rmSync(`${staging}-shm`, { force: true });
  renameSync(staging, target);
}
