import { RArray, RNumber, RObject, RSet } from "../value/index.js";
import type { KeyCache, Value } from "../value/index.js";
import { plainFormatParts } from "../builtins/index.js";
import type { Term } from "../ast/types.js";
import { constValue } from "./constants.js";
import { GEN, directFn } from "./direct.js";
import type { DirectFn } from "./direct.js";
import type { Evaluator } from "./evaluator.js";

/**
 * Builtin calls that plan policies make on nearly every resource, answered without the general
 * call (operand array, type check, error guard): `count` of a collection, `object.get` with a
 * constant string key, `concat` of strings and `sprintf` of a plain `%s`/`%v` format over an
 * array of strings (the message of nearly every deny rule). Any other operand (a string to count, a non-object to look into) returns
 * `fallback`'s answer, the general call, so errors and strict mode behave as before.
 *
 * Returns undefined when the call is not one of these shapes.
 */
export function builtinShortcut(t: Term & { type: "call" }, args: readonly DirectFn[], fallback: DirectFn): DirectFn | undefined {
  const enabled = enabledCheck(t.op);
  if (t.op === "count" && args.length === 1) {
    const a0 = args[0]!;
    return (ev, f) => {
      if (ev.mocks.size > 0 || !enabled(ev)) return GEN;
      const x = a0(ev, f);
      if (x === GEN || x === undefined) return x;
      // Strings count code points: left to the builtin.
      if (x instanceof RArray) return RNumber.fromInt(x.length);
      if (x instanceof RSet || x instanceof RObject) return RNumber.fromInt(x.size);
      return fallback(ev, f);
    };
  }
  const key = t.op === "object.get" && args.length === 3 ? constValue(t.args[1]!) : undefined;
  if (typeof key === "string") {
    const a0 = args[0]!;
    const a2 = args[2]!;
    // Plan documents repeat object shapes: remember where the key sits (see KeyCache).
    const cache: KeyCache = { index: undefined, pos: 0 };
    return (ev, f) => {
      if (ev.mocks.size > 0 || !enabled(ev)) return GEN;
      const o = a0(ev, f);
      if (o === GEN || o === undefined) return o;
      if (!(o instanceof RObject)) return fallback(ev, f);
      const d = a2(ev, f);
      if (d === GEN || d === undefined) return d;
      return o.getCached(key, cache) ?? d;
    };
  }
  if (t.op === "concat" && args.length === 2 && typeof constValue(t.args[0]!) === "string") {
    const sep = constValue(t.args[0]!) as string;
    const a1 = args[1]!;
    return (ev, f) => {
      if (ev.mocks.size > 0 || !enabled(ev)) return GEN;
      const x = a1(ev, f);
      if (x === GEN || x === undefined) return x;
      const parts = x instanceof RArray ? x.items : x instanceof RSet ? x.values() : undefined;
      if (!parts || !parts.every((p) => typeof p === "string")) return fallback(ev, f);
      return parts.join(sep);
    };
  }
  if (t.op === "sprintf" && args.length === 2) return sprintfShortcut(t, fallback, enabled);
  return undefined;
}

/**
 * Whether the policy leaves the builtin enabled (`disabledBuiltins`), looked up once per
 * disabled set rather than on every call.
 */
function enabledCheck(op: string): (ev: Evaluator) => boolean {
  let set: ReadonlySet<string> | undefined;
  let ok = true;
  return (ev) => {
    const disabled = ev.opts.disabled;
    if (disabled !== set) { set = disabled; ok = !disabled.has(op); }
    return ok;
  };
}

/** `sprintf("%s: %s", [a, b])` over strings: the parts joined, no operand array or conversion. */
function sprintfShortcut(t: Term & { type: "call" }, fallback: DirectFn, enabled: (ev: Evaluator) => boolean): DirectFn | undefined {
  const format = constValue(t.args[0]!);
  const list = t.args[1]!;
  if (typeof format !== "string" || list.type !== "array") return undefined;
  const parts = plainFormatParts(format);
  // Missing or extra operands have Go's in-band forms: the builtin writes those.
  if (!parts || parts.filter((p) => typeof p === "number").length !== list.items.length) return undefined;
  const items = list.items.map(directFn);
  return (ev, f) => {
    if (ev.mocks.size > 0 || !enabled(ev)) return GEN;
    // Operands are numbered in order and each used once: every one is evaluated, in order.
    const out = new Array<string>(parts.length);
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j]!;
      if (typeof p === "string") { out[j] = p; continue; }
      const x: Value | undefined | typeof GEN = items[p]!(ev, f);
      if (x === GEN || x === undefined) return x;
      if (typeof x !== "string") return fallback(ev, f);
      out[j] = x;
    }
    // `join` builds one flat string (see plainStringFormat in builtins/sprintf.ts).
    return out.join("");
  };
}
