import { RArray, RSet, toRegoString } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, typeFail } from "./args.js";
import type { BuiltinContext, BuiltinDef } from "./registry.js";

/** How print and template strings show one value: strings bare, everything else in Rego syntax. */
export function displayValue(v: Value): string {
  return typeof v === "string" ? v : toRegoString(v);
}

/** Every combination of one value per operand (each operand's values as a sorted list). */
function product(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((row) => list.map((x) => [...row, x])), [[]]);
}

/**
 * `internal.print([s1, s2, ...])`: what the compiler turns `print(a, b)` into, each operand
 * wrapped in a set of its values so undefined operands still print (as `<undefined>`). One line
 * per combination of values, operands separated by a space, as OPA prints them.
 */
function internalPrint(args: Value[], ctx: BuiltinContext): Value {
  const ops = args[0];
  if (!(ops instanceof RArray)) throw typeFail("operand 1 must be array");
  const lists = ops.items.map((s) => {
    if (!(s instanceof RSet)) return [displayValue(s)];
    return s.size === 0 ? ["<undefined>"] : s.values().map(displayValue);
  });
  for (const row of product(lists)) ctx.print(row.join(" "));
  return true;
}

/** `print(a, b, ...)` called directly with plain values (no undefined handling needed). */
function directPrint(args: Value[], ctx: BuiltinContext): Value {
  ctx.print(args.map(displayValue).join(" "));
  return true;
}

/**
 * `internal.template_string([parts])` for `$"..{x}.."`: string parts are literal text; each
 * expression part is a set of the expression's values (empty when undefined, shown as
 * `<undefined>`). An expression with more than one value is an error.
 */
function templateString(args: Value[]): Value {
  const parts = args[0];
  if (!(parts instanceof RArray)) throw typeFail("operand 1 must be array");
  let out = "";
  for (const p of parts.items) {
    if (typeof p === "string") out += p;
    else if (p instanceof RSet) {
      if (p.size > 1) throw fail("template-strings must not produce multiple outputs");
      out += p.size === 0 ? "<undefined>" : displayValue(p.values()[0]!);
    } else out += displayValue(p);
  }
  return out;
}

/** print, internal.print and internal.template_string. `print` is variadic (arity -1). */
export const printBuiltins: BuiltinDef[] = [
  { name: "internal.print", arity: 1, fn: internalPrint },
  { name: "print", arity: -1, fn: directPrint },
  { name: "internal.template_string", arity: 1, fn: templateString },
];
