import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Encrypts values at rest with AES-256-GCM. The stored form is `<version>.<iv>.<tag>.<ciphertext>`
 * (base64url parts), so a future key rotation can tell versions apart. `v2` binds the value to
 * a context (its row and, for variables, whether it is write-only) as additional authenticated
 * data: a ciphertext copied into another row, or a write-only flag flipped in the database, no
 * longer decrypts. `v1` values (no context) still decrypt where no context is asked for.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("the encryption key must be 32 bytes (base64 of 32 random bytes)");
  }

  encrypt(plain: Buffer | string, context?: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    if (context !== undefined) cipher.setAAD(Buffer.from(context, "utf8"));
    const ct = Buffer.concat([cipher.update(typeof plain === "string" ? Buffer.from(plain, "utf8") : plain), cipher.final()]);
    return [context === undefined ? "v1" : "v2", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
  }

  /** A key for another purpose (e.g. `plan-sanitization`), derived so the encryption key is never reused as is. */
  derive(purpose: string): Buffer {
    return createHmac("sha256", this.key).update(purpose, "utf8").digest();
  }

  /** Decrypts a value; one encrypted with a context only decrypts with the same context. */
  decrypt(stored: string, context?: string): Buffer {
    const [version, iv, tag, ct] = stored.split(".");
    if ((version !== "v1" && version !== "v2") || iv === undefined || tag === undefined || ct === undefined) throw new Error("encrypted value has an unknown format");
    if (version === "v2" && context === undefined) throw new Error("encrypted value is bound to a context that was not given");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    if (version === "v2") decipher.setAAD(Buffer.from(context!, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]);
    } catch {
      throw new Error("encrypted value does not belong here (moved between rows, or altered): it cannot be decrypted");
    }
  }
}

export const sha256Hex = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");
