/** An IPv4 CIDR block as numbers: `network` is the first address as an unsigned 32-bit integer. */
export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns a message instead when it is not a CIDR network address. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | string {
  const m = CIDR.exec(text);
  if (!m) return `${JSON.stringify(text)} is not an IPv4 CIDR block: write it as a.b.c.d/n, e.g. 10.0.0.0/16`;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255)) return `${JSON.stringify(text)} is not an IPv4 CIDR block: each address part must be 0-255`;
  if (prefix > 32) return `${JSON.stringify(text)} is not an IPv4 CIDR block: the prefix length must be 0-32`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  if (network !== address) {
    return `${JSON.stringify(text)} is not a CIDR network address: the host bits must be zero (did you mean ${formatCidr({ network, prefix })}?)`;
  }
  return { network, prefix };
}

/** Prints a CIDR block. */
export function formatCidr(cidr: Ipv4Cidr): string {
  const n = cidr.network;
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 2 ** 8) % 256}.${n % 256}/${cidr.prefix}`;
}

/** True when `inner` lies entirely within `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.network >= outer.network && inner.network + 2 ** (32 - inner.prefix) <= outer.network + 2 ** (32 - outer.prefix);
}

/** True when the two blocks share any address. */
export function cidrOverlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + 2 ** (32 - b.prefix) && b.network < a.network + 2 ** (32 - a.prefix);
}

/** Validator for any IPv4 CIDR network address (security group rules). */
export function validateCidr(text: string): string | undefined {
  const parsed = parseIpv4Cidr(text);
  return typeof parsed === "string" ? parsed : undefined;
}

/** Validator for VPC and subnet blocks: AWS allows prefix lengths /16 to /28. */
export function validateVpcCidr(text: string): string | undefined {
  const parsed = parseIpv4Cidr(text);
  if (typeof parsed === "string") return parsed;
  if (parsed.prefix < 16 || parsed.prefix > 28) return `${JSON.stringify(text)} has prefix length /${parsed.prefix}: VPC and subnet blocks must be between /16 and /28`;
  return undefined;
}
