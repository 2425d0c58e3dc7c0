import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";
import type { SecretBox } from "./secret-box.js";

const NAME = "encryption_key_check";
const CONTEXT = "instance_settings:encryption_key_check";
const PLAIN = "gantry encryption key check";

/** Raised when the configured key is not the one the database's secrets were encrypted with. */
export class EncryptionKeyMismatch extends Error {
  constructor() {
    super(
      "the encryption key does not match this database: its secrets were encrypted with another key. " +
        "Start with the key the database was created with (GANTRY_ENCRYPTION_KEY, or <data-dir>/encryption.key in embedded mode); " +
        "a replica or a restored backup needs the same key as the installation it came from",
    );
    this.name = "EncryptionKeyMismatch";
  }
}

/** True when `box` opens the stored check value (or the database has none yet). */
export async function keyMatches(db: Db, box: SecretBox): Promise<boolean> {
  const row = await db.selectFrom("instance_settings").select("value").where("name", "=", NAME).executeTakeFirst();
  if (!row) return true;
  try {
    return box.decrypt(row.value, CONTEXT).toString("utf8") === PLAIN;
  } catch {
    return false;
  }
}

/**
 * Refuses a key that is not the database's; on a database without a check yet (new, or made by
 * an older version) records one with this key. Two replicas starting at once on a new database
 * both try to insert: the loser re-reads and checks against the winner's.
 */
export async function verifyEncryptionKey(db: Db, box: SecretBox): Promise<void> {
  if (!(await keyMatches(db, box))) throw new EncryptionKeyMismatch();
  await db
    .insertInto("instance_settings")
    .values({ name: NAME, value: box.encrypt(PLAIN, CONTEXT), updated_at: now() })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  if (!(await keyMatches(db, box))) throw new EncryptionKeyMismatch();
}
