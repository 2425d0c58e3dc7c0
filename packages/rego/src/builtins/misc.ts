import { randomInt, randomUUID } from "node:crypto";
import { RArray, RNumber, RObject, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import { arrayOrSet, int$, set, smallInt, str, typeFail } from "./args.js";
import { BuiltinError } from "./registry.js";
import { parseDuration } from "./time.js";
import type { BuiltinContext, BuiltinDef } from "./registry.js";

/** A builtin that is switched off for this evaluation (e.g. on the platform). */
function disabled(name: string, ctx: BuiltinContext): void {
  if (ctx.disabled.has(name)) {
    throw new BuiltinError("eval_builtin_error", `${name} is disabled for policies evaluated by the platform: remove the call`, true);
  }
}

/** `x in xs` (member_2) and `k, v in xs` (member_3). */
function member2(args: Value[]): Value {
  const [x, c] = args as [Value, Value];
  if (c instanceof RSet) return c.has(x);
  if (c instanceof RArray) return c.items.some((v) => equals(v, x));
  if (c instanceof RObject) {
    let found = false;
    c.forEach((_k, v) => {
      found ||= equals(v, x);
    });
    return found;
  }
  return false;
}

function member3(args: Value[]): Value {
  const [k, x, c] = args as [Value, Value, Value];
  if (c instanceof RArray) {
    const i = k instanceof RNumber ? k.toSafeInt() : undefined;
    return i !== undefined && i >= 0 && i < c.length && equals(c.items[i]!, x);
  }
  if (c instanceof RObject) {
    const v = c.get(k);
    return v !== undefined && equals(v, x);
  }
  return false;
}

function cast(name: string, expected: string, test: (v: Value) => Value | undefined): BuiltinDef {
  return {
    name, arity: 1, deprecated: true,
    fn: (a) => {
      const out = test(a[0] as Value);
      if (out === undefined) throw typeFail(`operand 1 must be ${expected}`);
      return out;
    },
  };
}

function uuidRfc4122(args: Value[], ctx: BuiltinContext): Value {
  const key = `uuid.rfc4122:${str(args, 0)}`;
  let id = ctx.cache.get(key) as string | undefined;
  if (id === undefined) {
    id = randomUUID();
    ctx.cache.set(key, id);
  }
  return id;
}

/** rand.intn: a random integer in [0, |n|), the same for the same (str, n) within a query. */
function randIntn(args: Value[], ctx: BuiltinContext): Value {
  const n = Math.abs(smallInt(args, 1));
  const key = `rand.intn:${str(args, 0)}:${n}`;
  let r = ctx.cache.get(key) as number | undefined;
  if (r === undefined) {
    r = n === 0 ? 0 : randomInt(n);
    ctx.cache.set(key, r);
  }
  return int$(r);
}

/**
 * test.sleep: OPA's test helper that blocks for a Go duration (capped at 5 s). Used to check that
 * time.now_ns is fixed for a whole query.
 */
function testSleep(args: Value[]): Value {
  const ms = Math.min(5000, Number(parseDuration(str(args, 0)) / 1_000_000n));
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return null;
}

/** Membership, disabled platform builtins, deprecated v0 builtins, uuid.rfc4122 and trace. */
export const miscBuiltins: BuiltinDef[] = [
  { name: "internal.member_2", arity: 2, fn: member2 },
  { name: "internal.member_3", arity: 3, fn: member3 },
  {
    name: "http.send", arity: 1, nondeterministic: true,
    fn: (_a, ctx) => {
      disabled("http.send", ctx);
      throw new BuiltinError("eval_builtin_error", "http.send is not supported by this engine", true);
    },
  },
  {
    name: "opa.runtime", arity: 0, nondeterministic: true,
    fn: (_a, ctx) => {
      disabled("opa.runtime", ctx);
      // Nothing is configured in an embedded engine, which OPA reports as an empty object.
      return RObject.empty;
    },
  },
  {
    // A relation (one result per node), evaluated by the evaluator; registered for its arity.
    name: "walk", arity: 1,
    fn: () => {
      throw new BuiltinError("eval_builtin_error", "walk must be evaluated by the evaluator");
    },
  },
  { name: "test.sleep", arity: 1, nondeterministic: true, fn: testSleep },
  { name: "rand.intn", arity: 2, nondeterministic: true, fn: randIntn },
  { name: "uuid.rfc4122", arity: 1, nondeterministic: true, fn: uuidRfc4122 },
  { name: "trace", arity: 1, fn: (a, ctx) => { const m = str(a, 0); ctx.note?.(m); return true; } },
  { name: "any", arity: 1, deprecated: true, fn: (a) => arrayOrSet(a, 0).some((v) => v === true) },
  { name: "all", arity: 1, deprecated: true, fn: (a) => arrayOrSet(a, 0).every((v) => v === true) },
  { name: "set_diff", arity: 2, deprecated: true, fn: (a) => set(a, 0).difference(set(a, 1)) },
  cast("cast_array", "one of {array, set}", (v) => (v instanceof RArray ? v : v instanceof RSet ? new RArray(v.values()) : undefined)),
  cast("cast_set", "one of {array, set}", (v) => (v instanceof RSet ? v : v instanceof RArray ? RSet.from(v.items) : undefined)),
  cast("cast_string", "string", (v) => (typeof v === "string" ? v : undefined)),
  cast("cast_boolean", "boolean", (v) => (typeof v === "boolean" ? v : undefined)),
  cast("cast_null", "null", (v) => (v === null ? null : undefined)),
  cast("cast_object", "object", (v) => (v instanceof RObject ? v : undefined)),
];


