import { RArray, RNumber, RObject, RSet, typeName } from "../value/index.js";
import type { Value } from "../value/index.js";
import { BuiltinError } from "./registry.js";

/** `operand N must be X but got Y`: OPA's operand type error. */
export function operandError(pos: number, expected: string, got: Value): BuiltinError {
  return new BuiltinError("eval_type_error", `operand ${pos} must be ${expected} but got ${typeName(got)}`);
}

/** `operand N must be array of strings but got array containing number`: OPA's element error. */
export function elementError(pos: number, collection: Value, element: Value, want: string): BuiltinError {
  const kind = typeName(collection);
  return new BuiltinError("eval_type_error", `operand ${pos} must be ${kind} of ${want}s but got ${kind} containing ${typeName(element)}`);
}

/** A plain builtin failure (eval_builtin_error). */
export function fail(message: string): BuiltinError {
  return new BuiltinError("eval_builtin_error", message);
}

/** A type failure with a free-form message (eval_type_error). */
export function typeFail(message: string): BuiltinError {
  return new BuiltinError("eval_type_error", message);
}

function arg(args: Value[], i: number): Value {
  return args[i] as Value;
}

/** Operand i (0-based) as a string. */
export function str(args: Value[], i: number): string {
  const v = arg(args, i);
  if (typeof v !== "string") throw operandError(i + 1, "string", v);
  return v;
}

/** Operand i as a number. */
export function num(args: Value[], i: number): RNumber {
  const v = arg(args, i);
  if (!(v instanceof RNumber)) throw operandError(i + 1, "number", v);
  return v;
}

/** Operand i as an integer number (bigint). */
export function int(args: Value[], i: number): bigint {
  const n = num(args, i);
  const b = n.toBigInt();
  if (b === undefined) throw typeFail(`operand ${i + 1} must be integer number but got floating-point number`);
  return b;
}

/** Operand i as a JS integer; fails when it is not an integer or not representable. */
export function smallInt(args: Value[], i: number): number {
  const b = int(args, i);
  const n = Number(b);
  if (!Number.isSafeInteger(n)) throw fail(`operand ${i + 1} is too large`);
  return n;
}

/** Operand i as a boolean. */
export function bool(args: Value[], i: number): boolean {
  const v = arg(args, i);
  if (typeof v !== "boolean") throw operandError(i + 1, "boolean", v);
  return v;
}

/** Operand i as an array. */
export function arr(args: Value[], i: number): RArray {
  const v = arg(args, i);
  if (!(v instanceof RArray)) throw operandError(i + 1, "array", v);
  return v;
}

/** Operand i as an object. */
export function obj(args: Value[], i: number): RObject {
  const v = arg(args, i);
  if (!(v instanceof RObject)) throw operandError(i + 1, "object", v);
  return v;
}

/** Operand i as a set. */
export function set(args: Value[], i: number): RSet {
  const v = arg(args, i);
  if (!(v instanceof RSet)) throw operandError(i + 1, "set", v);
  return v;
}

/** Operand i as the members of an array or set (in OPA's iteration order). */
export function arrayOrSet(args: Value[], i: number): readonly Value[] {
  const v = arg(args, i);
  if (v instanceof RArray) return v.items;
  if (v instanceof RSet) return v.values();
  throw operandError(i + 1, "one of {array, set}", v);
}

/** Members of an array or set value, or undefined. */
export function membersOf(v: Value): readonly Value[] | undefined {
  if (v instanceof RArray) return v.items;
  if (v instanceof RSet) return v.values();
  return undefined;
}

/** Shorthands for building results. */
export const int$ = (n: number | bigint): RNumber => RNumber.fromInt(n);
export const arr$ = (items: Value[]): RArray => new RArray(items);
