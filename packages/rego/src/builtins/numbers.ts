import { RArray, RNumber } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, int, int$, typeFail } from "./args.js";
import { unsignedInt } from "./operators.js";
import type { BuiltinDef } from "./registry.js";

/** Largest range numbers.range will materialise; beyond it the policy is surely runaway. */
const MAX_RANGE = 10_000_000n;

function range(a: bigint, b: bigint, step: bigint): RArray {
  const span = a <= b ? b - a : a - b;
  if (span / step > MAX_RANGE) throw fail(`range of ${span / step + 1n} numbers is too large`);
  const out: Value[] = [];
  if (a <= b) for (let x = a; x <= b; x += step) out.push(int$(x));
  else for (let x = a; x >= b; x -= step) out.push(int$(x));
  return new RArray(out);
}

function rangeStep(args: Value[]): Value {
  const a = int(args, 0);
  const b = int(args, 1);
  const step = int(args, 2);
  if (step <= 0n) throw fail("step must be a positive integer");
  return range(a, b, step);
}

const TO_NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(args: Value[]): Value {
  const v = args[0] as Value;
  if (v === null) return int$(0);
  if (typeof v === "boolean") return int$(v ? 1 : 0);
  if (v instanceof RNumber) return v;
  if (typeof v === "string") {
    if (/^[+-]?(inf|infinity|nan)$/i.test(v)) throw typeFail(`operand 1 must be a finite number but got ${v}`);
    if (!TO_NUMBER_RE.test(v)) throw fail(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    let t = v.startsWith("+") ? v.slice(1) : v;
    t = t.replace(/^(-?)\./, "$10.").replace(/\.(?=[eE]|$)/, "");
    const n = RNumber.fromString(t);
    return RNumber.of(n.m, n.e);
  }
  throw fail(`operand 1 must be one of {null, boolean, number, string} but got ${typeof v === "object" ? "composite" : typeof v}`);
}

function formatInt(args: Value[]): Value {
  const n = args[0];
  if (!(n instanceof RNumber)) throw fail(`operand 1 must be number but got ${n === null ? "null" : typeof n}`);
  const base = int(args, 1);
  if (![2n, 8n, 10n, 16n].includes(base)) throw typeFail("operand 2 must be one of {2, 8, 10, 16}");
  const i = (n.sign() < 0 ? n.ceil() : n.floor()).toBigInt() ?? 0n;
  return i.toString(Number(base));
}

/** Left shifts beyond this many bits would only build absurdly large integers. */
const MAX_SHIFT = 1n << 16n;

function shiftAmount(args: Value[]): bigint {
  const n = unsignedInt(args, 1);
  if (n > MAX_SHIFT) throw fail(`shift of ${n} bits is too large`);
  return n;
}

/** numbers.*, bits.*, to_number and format_int. */
export const numberBuiltins: BuiltinDef[] = [
  { name: "numbers.range", arity: 2, fn: (a) => range(int(a, 0), int(a, 1), 1n) },
  { name: "numbers.range_step", arity: 3, fn: rangeStep },
  { name: "to_number", arity: 1, fn: toNumber },
  { name: "format_int", arity: 2, fn: formatInt },
  { name: "bits.and", arity: 2, fn: (a) => int$(int(a, 0) & int(a, 1)) },
  { name: "bits.or", arity: 2, fn: (a) => int$(int(a, 0) | int(a, 1)) },
  { name: "bits.xor", arity: 2, fn: (a) => int$(int(a, 0) ^ int(a, 1)) },
  { name: "bits.negate", arity: 1, fn: (a) => int$(~int(a, 0)) },
  { name: "bits.lsh", arity: 2, fn: (a) => int$(int(a, 0) << shiftAmount(a)) },
  { name: "bits.rsh", arity: 2, fn: (a) => int$(int(a, 0) >> unsignedInt(a, 1)) },
];
