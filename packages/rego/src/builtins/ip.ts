import { isIPv4, isIPv6 } from "node:net";

/** An IP network: address as a bigint, prefix length, and family width (32 or 128 bits). */
export interface Net {
  addr: bigint;
  prefix: number;
  bits: 32 | 128;
}

function parseV4(s: string): bigint {
  return s.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function parseV6(s: string): bigint {
  let text = s;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseV4(v4[1]!);
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const hs = head ? head.split(":") : [];
  const rs = rest ? rest.split(":") : [];
  const groups = rest === undefined ? hs : [...hs, ...Array<string>(8 - hs.length - rs.length).fill("0"), ...rs];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
}

/** Parses an IP address; undefined if it is not one. IPv4-mapped forms stay IPv6. */
export function parseIP(s: string): { addr: bigint; bits: 32 | 128 } | undefined {
  if (isIPv4(s)) return { addr: parseV4(s), bits: 32 };
  if (isIPv6(s) && !s.includes("%")) return { addr: parseV6(s), bits: 128 };
  return undefined;
}

/** Parses `addr/prefix` (Go's net.ParseCIDR); the address is masked to the network. */
export function parseCIDR(s: string): Net | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > ip.bits) return undefined;
  return { addr: ip.addr & mask(prefix, ip.bits), prefix, bits: ip.bits };
}

/** Netmask of `prefix` bits. */
export function mask(prefix: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** Last address of a network. */
export function lastAddr(n: Net): bigint {
  return n.addr | ((1n << BigInt(n.bits - n.prefix)) - 1n);
}

/** Formats an address as Go does (IPv6 compressed, lowercase). */
export function formatIP(addr: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((sh) => String((addr >> sh) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((addr >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/** `addr/prefix` text of a network. */
export function formatNet(n: Net): string {
  return `${formatIP(n.addr, n.bits)}/${n.prefix}`;
}
