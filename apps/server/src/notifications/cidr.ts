import { isIP } from "node:net";

/** A CIDR such as `10.0.0.0/8` or `fd00::/8`, or null when it is not one. */
export function parseCidr(text: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const version = isIP(m[1]!);
  const prefix = Number(m[2]);
  if (version === 0 || prefix > (version === 4 ? 32 : 128)) return null;
  return { address: m[1]!, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** Splits `GANTRY_OUTBOUND_ALLOW` (already validated by the configuration). */
export function parseCidrList(text: string): string[] {
  return text.split(",").map((c) => c.trim()).filter(Boolean);
}
