import { randomBytes } from "node:crypto";
import { sha256Hex } from "./secret-box.js";

/**
 * Bearer tokens are `<prefix>_<id>_<secret>`: the id finds the row, the secret is compared by
 * its SHA-256 (the secrets are 256 random bits, so a fast hash is enough and keeps every
 * request cheap; passwords, which people choose, use scrypt instead).
 */
export type TokenKind = "gnt" | "gns";

export function newToken(kind: TokenKind, id: string): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${kind}_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseToken(token: string): { kind: TokenKind; id: string; secretHash: string } | undefined {
  const m = /^(gnt|gns)_([0-9A-Za-z]+)_([A-Za-z0-9_-]{20,})$/.exec(token);
  if (!m) return undefined;
  return { kind: m[1] as TokenKind, id: m[2]!, secretHash: sha256Hex(m[3]!) };
}
