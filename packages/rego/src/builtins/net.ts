import { RArray, RObject, RSet } from "../value/index.js";
import { int$ } from "./args.js";
import type { Value } from "../value/index.js";
import { arrayOrSet, fail, str } from "./args.js";
import { formatIP, formatNet, lastAddr, mask, parseCIDR, parseIP } from "./ip.js";
import type { Net } from "./ip.js";
import type { BuiltinDef } from "./registry.js";

function cidr(s: string): Net {
  const n = parseCIDR(s);
  if (!n) throw fail(`invalid CIDR address: ${s}`);
  return n;
}

/** A CIDR or a bare IP (a one-address network). */
function cidrOrIP(s: string): Net {
  const n = parseCIDR(s);
  if (n) return n;
  const ip = parseIP(s);
  if (!ip) throw fail(`invalid CIDR address: ${s}`);
  return { addr: ip.addr, prefix: ip.bits, bits: ip.bits };
}

function contains(outer: Net, inner: Net): boolean {
  return outer.bits === inner.bits && inner.prefix >= outer.prefix && (inner.addr & mask(outer.prefix, outer.bits)) === outer.addr;
}

function intersects(a: Net, b: Net): boolean {
  return a.bits === b.bits && a.addr <= lastAddr(b) && b.addr <= lastAddr(a);
}

/** Items of a cidr_contains_matches operand: [key, cidr text]. */
function matchItems(v: Value, pos: number): [Value, string][] {
  const cidrOf = (x: Value): string => {
    if (typeof x === "string") return x;
    if (x instanceof RArray && typeof x.items[0] === "string") return x.items[0];
    throw fail(`operand ${pos}: element must be string or non-empty array`);
  };
  if (typeof v === "string") return [[v, v]];
  if (v instanceof RArray) return v.items.map((x, i) => [int$(i), cidrOf(x)]);
  if (v instanceof RSet) return v.values().map((x) => [x, cidrOf(x)]);
  if (v instanceof RObject) return v.entries().map(([k, x]) => [k, cidrOf(x)]);
  throw fail(`operand ${pos} must be one of {string, array, set, object}`);
}

function containsMatches(args: Value[]): Value {
  const as = matchItems(args[0] as Value, 1).map(([k, c]) => [k, cidrOrIP(c)] as const);
  const bs = matchItems(args[1] as Value, 2).map(([k, c]) => [k, cidrOrIP(c)] as const);
  const out: Value[] = [];
  for (const [ka, na] of as) for (const [kb, nb] of bs) if (contains(na, nb)) out.push(new RArray([ka, kb]));
  return RSet.from(out);
}

const MAX_EXPAND = 1n << 20n;

function expand(args: Value[]): Value {
  const n = cidr(str(args, 0));
  const count = 1n << BigInt(n.bits - n.prefix);
  if (count > MAX_EXPAND) throw fail(`CIDR ${str(args, 0)} has too many addresses to expand`);
  const out: Value[] = [];
  for (let a = n.addr; a <= lastAddr(n); a++) out.push(formatIP(a, n.bits));
  return RSet.from(out);
}

/** Go's IP.DefaultMask for a bare IPv4 address (classful: A /8, B /16, C /24). */
function classful(s: string): Net | undefined {
  const ip = parseIP(s);
  if (!ip) return undefined;
  if (ip.bits === 128) throw fail("IPv6 invalid: needs prefix length");
  const first = Number(ip.addr >> 24n);
  const prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
  return { addr: ip.addr & mask(prefix, 32), prefix, bits: 32 };
}

function merge(args: Value[]): Value {
  const nets: Net[] = [];
  for (const x of arrayOrSet(args, 0)) {
    if (typeof x !== "string") throw fail("operand 1 must contain strings");
    const n = parseCIDR(x) ?? classful(x);
    if (!n) throw fail(`invalid IP address or CIDR: ${x}`);
    nets.push(n);
  }
  const out: Net[] = [];
  for (const bits of [32, 128] as const) {
    let list = nets.filter((n) => n.bits === bits).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.prefix - b.prefix));
    for (let changed = true; changed; ) {
      changed = false;
      const next: Net[] = [];
      for (const n of list) {
        const prev = next[next.length - 1];
        if (prev && contains(prev, n)) {
          changed = true;
          continue;
        }
        if (prev && prev.prefix === n.prefix && prev.prefix > 0) {
          const parent = prev.prefix - 1;
          if ((prev.addr & mask(parent, bits)) === prev.addr && (n.addr & mask(parent, bits)) === prev.addr) {
            next[next.length - 1] = { addr: prev.addr, prefix: parent, bits };
            changed = true;
            continue;
          }
        }
        next.push(n);
      }
      list = next;
    }
    out.push(...list);
  }
  return RSet.from(out.map(formatNet));
}

function isValid(args: Value[]): Value {
  const s = args[0];
  return typeof s === "string" && parseCIDR(s) !== undefined;
}

/** net.cidr_* builtins. */
export const netBuiltins: BuiltinDef[] = [
  { name: "net.cidr_contains", arity: 2, fn: (a) => contains(cidr(str(a, 0)), cidrOrIP(str(a, 1))) },
  { name: "net.cidr_overlap", arity: 2, fn: (a) => contains(cidr(str(a, 0)), cidrOrIP(str(a, 1))), deprecated: true },
  { name: "net.cidr_intersects", arity: 2, fn: (a) => intersects(cidr(str(a, 0)), cidr(str(a, 1))) },
  { name: "net.cidr_contains_matches", arity: 2, fn: containsMatches },
  { name: "net.cidr_expand", arity: 1, fn: expand },
  { name: "net.cidr_merge", arity: 1, fn: merge },
  { name: "net.cidr_is_valid", arity: 1, fn: isValid },
];
