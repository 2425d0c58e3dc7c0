import { randomBytes } from "node:crypto";
import { sha256Hex } from "../crypto/secret-box.js";

/**
 * Worker-pool tokens (`gwp_<id>_<secret>`) and run tokens (`gnr_<runId>_<secret>`). Like API
 * keys, the secret is 256 random bits and only its SHA-256 is stored.
 */
export type MachineTokenKind = "gwp" | "gnr";

export function newMachineToken(kind: MachineTokenKind, id: string): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${kind}_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseMachineToken(token: string, kind: MachineTokenKind): { id: string; secretHash: string } | undefined {
  const m = new RegExp(`^${kind}_([0-9A-Za-z]+)_([A-Za-z0-9_-]{20,})$`).exec(token);
  if (!m) return undefined;
  return { id: m[1]!, secretHash: sha256Hex(m[2]!) };
}
