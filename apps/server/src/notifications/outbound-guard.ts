import { BlockList, isIP } from "node:net";
import { parseCidr } from "./cidr.js";

/**
 * Addresses a webhook or Slack URL must not reach unless the operator admits them: loopback,
 * private ranges, link-local (which holds cloud metadata at 169.254.169.254), carrier-grade NAT,
 * "this network", multicast and their IPv6 counterparts. A receiver URL is chosen by whoever can
 * create a webhook; without this guard it could make the server call its own admin ports or the
 * cloud's credential endpoint.
 */
const refusedRanges: [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"], ["10.0.0.0", 8, "ipv4"], ["100.64.0.0", 10, "ipv4"], ["127.0.0.0", 8, "ipv4"], ["169.254.0.0", 16, "ipv4"],
  ["172.16.0.0", 12, "ipv4"], ["192.0.0.0", 24, "ipv4"], ["192.168.0.0", 16, "ipv4"], ["198.18.0.0", 15, "ipv4"], ["224.0.0.0", 3, "ipv4"],
  ["::", 128, "ipv6"], ["::1", 128, "ipv6"], ["fc00::", 7, "ipv6"], ["fe80::", 10, "ipv6"], ["ff00::", 8, "ipv6"], ["64:ff9b::", 96, "ipv6"],
];

export class OutboundGuard {
  private readonly refused = new BlockList();
  private readonly allowed = new BlockList();

  /** `allow`: CIDRs admitted although refused by default (`GANTRY_OUTBOUND_ALLOW`). */
  constructor(readonly allow: readonly string[]) {
    for (const [a, p, f] of refusedRanges) this.refused.addSubnet(a, p, f);
    for (const c of allow) {
      const cidr = parseCidr(c);
      if (!cidr) throw new Error(`outbound allow-list entry ${JSON.stringify(c)} is not a CIDR`);
      this.allowed.addSubnet(cidr.address, cidr.prefix, cidr.family);
    }
  }

  /** Why `address` may not be reached, or null when it may. */
  refusal(address: string): string | null {
    let ip = address.replace(/^\[|\]$/g, "");
    // An IPv4-mapped IPv6 address reaches the IPv4 host: judge it as that host.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) ip = mapped[1]!;
    const version = isIP(ip);
    if (version === 0) return `${address} is not an IP address`;
    const family = version === 4 ? "ipv4" : "ipv6";
    if (this.allowed.check(ip, family)) return null;
    if (this.refused.check(ip, family)) {
      return `address ${ip} is loopback, private, link-local or reserved: an operator can admit it with GANTRY_OUTBOUND_ALLOW (comma-separated CIDRs)`;
    }
    return null;
  }
}
