import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Encrypts values at rest with AES-256-GCM. The stored form is `v1.<iv>.<tag>.<ciphertext>`
 * (base64url parts), so a future key rotation can tell versions apart.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("the encryption key must be 32 bytes (base64 of 32 random bytes)");
  }

  encrypt(plain: Buffer | string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const ct = Buffer.concat([cipher.update(typeof plain === "string" ? Buffer.from(plain, "utf8") : plain), cipher.final()]);
    return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
  }

  decrypt(stored: string): Buffer {
    const [version, iv, tag, ct] = stored.split(".");
    if (version !== "v1" || iv === undefined || tag === undefined || ct === undefined) throw new Error("encrypted value has an unknown format");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]);
  }
}

export const sha256Hex = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");
