import { createHmac } from "node:crypto";

/**
 * Headers that let a receiver trust a delivery:
 * - `X-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`, as Spacelift signs (existing
 *   Spacelift receivers verify unchanged);
 * - `X-Gantry-Timestamp: <unix seconds>` and `X-Gantry-Signature: t=<ts>,sha256=<hex
 *   HMAC-SHA256(secret, "<ts>.<body>")>`: the timestamp is signed too, so a receiver that refuses
 *   old timestamps stops replays;
 * - `X-Gantry-Delivery: <id>`: the same for every attempt of a delivery, to drop duplicates.
 * Without a secret only the delivery id and timestamp are sent.
 */
export function signatureHeaders(secret: Buffer | null, body: string, deliveryId: string, at = new Date()): Record<string, string> {
  const ts = String(Math.floor(at.getTime() / 1000));
  const headers: Record<string, string> = { "x-gantry-delivery": deliveryId, "x-gantry-timestamp": ts };
  if (secret) {
    headers["x-signature-256"] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    headers["x-gantry-signature"] = `t=${ts},sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
  }
  return headers;
}
