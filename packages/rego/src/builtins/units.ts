import { RNumber } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, str } from "./args.js";
import type { BuiltinDef } from "./registry.js";

const DECIMAL = ["k", "m", "g", "t", "p", "e"];

function multiplier(unit: string): RNumber | undefined {
  if (unit === "") return RNumber.fromInt(1);
  const base = unit.replace(/i$/, "");
  const power = DECIMAL.indexOf(base) + 1;
  if (power === 0) return undefined;
  return unit.endsWith("i") ? RNumber.fromInt(1024n ** BigInt(power)) : RNumber.fromInt(1000n ** BigInt(power));
}

/** Splits "1.5e3Ki" into its number ("1.5e3") and unit ("Ki"), with OPA's error wording. */
function split(raw: string, what: string): [RNumber, string] {
  const s = raw.replace(/"/g, "");
  if (/\s/.test(s)) throw fail("spaces not allowed in resource strings");
  const mant = /^[+-]?[\d.]*/.exec(s)![0];
  let rest = s.slice(mant.length);
  let exp = "";
  const e = /^[eE][+-]?\d+/.exec(rest);
  if (e && /\d/.test(mant)) {
    exp = e[0];
    rest = rest.slice(exp.length);
  }
  if (!/\d/.test(mant)) throw fail(`no ${what} provided`);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(mant)) throw fail(`could not parse ${what} to a number`);
  const clean = mant.replace(/^\+/, "").replace(/^(-?)\./, "$10.").replace(/\.$/, "");
  const n = RNumber.fromString(clean + exp);
  return [RNumber.of(n.m, n.e), rest];
}

function parse(args: Value[]): Value {
  const [n, unit] = split(str(args, 0), "amount");
  // "m" alone is milli; otherwise units are case-insensitive ("M" is mega, "Mi" mebi).
  if (unit === "m") return n.div(RNumber.fromInt(1000));
  const mult = multiplier(unit.toLowerCase());
  if (!mult) throw fail(`unknown unit ${JSON.stringify(unit)}`);
  return n.mul(mult);
}

function parseBytes(args: Value[]): Value {
  const [n, rawUnit] = split(str(args, 0), "byte amount");
  const unit = rawUnit.toLowerCase().replace(/b$/, "");
  const mult = multiplier(unit);
  if (!mult) throw fail(`unknown unit ${JSON.stringify(rawUnit)}`);
  const v = n.mul(mult);
  return v.sign() < 0 ? v.ceil() : v.floor();
}

/** units.parse and units.parse_bytes. */
export const unitBuiltins: BuiltinDef[] = [
  { name: "units.parse", arity: 1, fn: parse },
  { name: "units.parse_bytes", arity: 1, fn: parseBytes },
];
