import { ulid } from "ulid";
import type { SecretBox } from "../crypto/secret-box.js";
import { sha256Hex } from "../crypto/secret-box.js";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";

/**
 * Plans, workspace archives and state versions, kept in the database and encrypted at rest
 * (they hold secrets: state carries every resource attribute). One blob per owner and kind
 * unless `keep` is set, as state versions are.
 */
export class BlobStore {
  /** `box` also decrypts what sits beside blobs (stored outputs), for readers holding only the store. */
  constructor(readonly box: SecretBox) {}

  async put(db: Db, ownerType: string, ownerId: string, kind: string, data: Buffer, opts: { keep?: boolean } = {}): Promise<string> {
    if (!opts.keep) await db.deleteFrom("blobs").where("owner_type", "=", ownerType).where("owner_id", "=", ownerId).where("kind", "=", kind).execute();
    const id = ulid();
    await db
      .insertInto("blobs")
      .values({ id, owner_type: ownerType, owner_id: ownerId, kind, data_encrypted: this.box.encrypt(data), size: data.length, sha256: sha256Hex(data), created_at: now() })
      .execute();
    return id;
  }

  async latest(db: Db, ownerType: string, ownerId: string, kind: string): Promise<Buffer | undefined> {
    const row = await db.selectFrom("blobs").select("data_encrypted").where("owner_type", "=", ownerType).where("owner_id", "=", ownerId).where("kind", "=", kind).orderBy("id", "desc").limit(1).executeTakeFirst();
    return row ? this.box.decrypt(row.data_encrypted) : undefined;
  }

  async byId(db: Db, id: string): Promise<Buffer | undefined> {
    const row = await db.selectFrom("blobs").select("data_encrypted").where("id", "=", id).executeTakeFirst();
    return row ? this.box.decrypt(row.data_encrypted) : undefined;
  }
}
