import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Checks GitHub's `X-Hub-Signature-256` header (`sha256=<hex HMAC of the raw body>`) in constant
 * time. The raw bytes matter: re-serialized JSON would not match.
 */
export function verifyGithubSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice(7), "hex");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value GitHub would send for a body (used by tests and the simulator). */
export function githubSignature(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}
