import { RObject } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, int$, str } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = 122_192_928_000_000_000n;
const DOMAINS = ["Person", "Group", "Org"];

function bytesOf(s: string): Buffer {
  let hex: string;
  if (/^urn:uuid:/i.test(s)) s = s.slice(9);
  if (/^\{.*\}$/.test(s)) s = s.slice(1, -1);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) hex = s.replace(/-/g, "");
  else if (/^[0-9a-f]{32}$/i.test(s)) hex = s;
  else throw fail(`invalid UUID ${JSON.stringify(s)}`);
  return Buffer.from(hex, "hex");
}

function variantOf(b: number): string {
  if ((b & 0xc0) === 0x80) return "RFC4122";
  if ((b & 0xe0) === 0xc0) return "Microsoft";
  if ((b & 0xe0) === 0xe0) return "Future";
  return "Reserved";
}

/** uuid.parse: version and variant, plus time, clock sequence and node for versions 1 and 2. */
function parse(args: Value[]): Value {
  const u = bytesOf(str(args, 0));
  const version = u[6]! >> 4;
  const entries: [Value, Value][] = [["version", int$(version)], ["variant", variantOf(u[8]!)]];
  if (version === 1 || version === 2) {
    const t = (BigInt(u.readUInt16BE(6) & 0xfff) << 48n) | (BigInt(u.readUInt16BE(4)) << 32n) | BigInt(u.readUInt32BE(0));
    const since = t - GREGORIAN_OFFSET;
    entries.push(["time", int$((since / 10_000_000n) * 1_000_000_000n + (since % 10_000_000n) * 100n)]);
    entries.push(["clocksequence", int$(u.readUInt16BE(8) & 0x3fff)]);
    const node = [...u.subarray(10, 16)];
    entries.push(["nodeid", node.map((b) => b.toString(16).padStart(2, "0")).join("-")]);
    entries.push(["macvariables", `${node[0]! & 2 ? "local" : "global"}:${node[0]! & 1 ? "multicast" : "unicast"}`]);
    if (version === 2) {
      entries.push(["domain", DOMAINS[u[9]!] ?? `Domain${u[9]}`]);
      entries.push(["id", int$(u.readUInt32BE(0))]);
    }
  }
  return RObject.from(entries);
}

/** uuid.parse. */
export const uuidBuiltins: BuiltinDef[] = [{ name: "uuid.parse", arity: 1, fn: parse }];
