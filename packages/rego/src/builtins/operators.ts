import { RNumber, RSet, compare, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, num, operandError, set, typeFail } from "./args.js";
import type { BuiltinDef } from "./registry.js";

function minus(args: Value[]): Value {
  const [a, b] = args;
  if (a instanceof RNumber) {
    if (!(b instanceof RNumber)) throw operandError(2, "number", b as Value);
    return a.sub(b);
  }
  if (a instanceof RSet) {
    if (!(b instanceof RSet)) throw operandError(2, "set", b as Value);
    return a.difference(b);
  }
  throw operandError(1, "one of {number, set}", a as Value);
}

function div(args: Value[]): Value {
  const a = num(args, 0);
  const b = num(args, 1);
  if (b.sign() === 0) throw fail("divide by zero");
  return a.div(b);
}

function rem(args: Value[]): Value {
  const a = num(args, 0);
  const b = num(args, 1);
  if (!a.isInteger() || !b.isInteger()) throw fail("modulo on floating-point number");
  if (b.sign() === 0) throw fail("modulo by zero");
  return a.rem(b);
}

function cmp(name: string, test: (c: number) => boolean): BuiltinDef {
  return { name, arity: 2, fn: (args) => test(compare(args[0] as Value, args[1] as Value)) };
}

/** Infix operators: arithmetic, comparison and set operators. */
export const operatorBuiltins: BuiltinDef[] = [
  { name: "plus", arity: 2, fn: (a) => num(a, 0).add(num(a, 1)) },
  { name: "minus", arity: 2, fn: minus },
  { name: "mul", arity: 2, fn: (a) => num(a, 0).mul(num(a, 1)) },
  { name: "div", arity: 2, fn: div },
  { name: "rem", arity: 2, fn: rem },
  { name: "and", arity: 2, fn: (a) => set(a, 0).intersect(set(a, 1)) },
  { name: "or", arity: 2, fn: (a) => set(a, 0).union(set(a, 1)) },
  { name: "equal", arity: 2, fn: (a) => equals(a[0] as Value, a[1] as Value) },
  { name: "neq", arity: 2, fn: (a) => !equals(a[0] as Value, a[1] as Value) },
  cmp("lt", (c) => c < 0),
  cmp("lte", (c) => c <= 0),
  cmp("gt", (c) => c > 0),
  cmp("gte", (c) => c >= 0),
  { name: "abs", arity: 1, fn: (a) => num(a, 0).abs() },
  { name: "round", arity: 1, fn: (a) => num(a, 0).round() },
  { name: "ceil", arity: 1, fn: (a) => num(a, 0).ceil() },
  { name: "floor", arity: 1, fn: (a) => num(a, 0).floor() },
];

/** Guards integer operands of bit operations and ranges, with OPA's wording. */
export function unsignedInt(args: Value[], i: number): bigint {
  const n = num(args, i);
  const b = n.toBigInt();
  if (b === undefined) throw typeFail(`operand ${i + 1} must be integer number but got floating-point number`);
  if (b < 0n) throw typeFail(`operand ${i + 1} must be an unsigned integer number but got a negative integer`);
  return b;
}
