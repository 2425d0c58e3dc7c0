import { RArray, RSet } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Term } from "../ast/types.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame } from "./context.js";
import { lookup } from "./collections.js";
import { constValue } from "./constants.js";
import { COMPARISONS, functionNode } from "./call-sites.js";
import { memberOf } from "./relations.js";

/** Marks a term the direct evaluator leaves to the general (generator) path. */
export const GEN = Symbol("generator");

/**
 * Evaluates a term that cannot generate (every var bound) without continuations: the common
 * case, and far cheaper than the general path. Returns GEN when the term may generate or is
 * not handled here, so the caller falls back to `evalTerm`'s general path.
 */
export function direct(ev: Evaluator, t: Term, f: Frame): Value | undefined | typeof GEN {
  switch (t.type) {
    case "scalar": return t.value;
    case "var": {
      if (t.name === "input") return ev.input;
      if (t.name === "data") return GEN;
      const v = f.get(t.name);
      return v === undefined ? GEN : v;
    }
    case "ref": {
      const h = t.head;
      let v: Value | undefined;
      if (h.type === "var") {
        if (h.name === "data") return directData(ev, t, f);
        if (h.name === "input") v = ev.input;
        else { v = f.get(h.name); if (v === undefined) return GEN; }
      } else {
        const hv = direct(ev, h, f);
        if (hv === GEN || hv === undefined) return hv;
        v = hv;
      }
      for (const seg of t.path) {
        let key: Value | undefined | typeof GEN;
        if (seg.type === "scalar") key = seg.value;
        else if (seg.type === "var") { key = f.get(seg.name); if (key === undefined) return GEN; }
        else { key = direct(ev, seg, f); if (key === GEN || key === undefined) return key; }
        if (v === undefined) return undefined;
        v = lookup(v, key);
      }
      return v;
    }
    case "call": {
      if (ev.mocks.size > 0) return GEN;
      const op = t.op;
      const cmp = COMPARISONS[op];
      if (cmp && t.args.length === 2) {
        const a = direct(ev, t.args[0]!, f);
        if (a === GEN || a === undefined) return a;
        const b = direct(ev, t.args[1]!, f);
        if (b === GEN || b === undefined) return b;
        return cmp(a, b);
      }
      if (op === "walk" || op === "print" || ev.callSite(t).out) return GEN;
      const vals: Value[] = new Array<Value>(t.args.length);
      for (let i = 0; i < t.args.length; i++) {
        const x = direct(ev, t.args[i]!, f);
        if (x === GEN || x === undefined) return x;
        vals[i] = x;
      }
      if (op === "internal.member_2") { const c = vals[1]!; return c instanceof RSet ? c.has(vals[0]!) : memberOf(vals[0]!, c, undefined); }
      if (op === "internal.member_3") return memberOf(vals[1]!, vals[2]!, vals[0]!);
      if (op.startsWith("data.")) {
        const node = functionNode(ev.policy, op);
        if (!node?.isFunction) return GEN;
        let out: Value | undefined;
        ev.callFunction(node, vals, (v) => { out = v; return true; });
        return out;
      }
      return ev.callBuiltin(op, vals, t);
    }
    case "array": {
      const c = constValue(t);
      if (c !== undefined) return c;
      const items: Value[] = new Array<Value>(t.items.length);
      for (let i = 0; i < t.items.length; i++) {
        const x = direct(ev, t.items[i]!, f);
        if (x === GEN || x === undefined) return x;
        items[i] = x;
      }
      return new RArray(items);
    }
    case "set":
    case "object":
      return constValue(t) ?? GEN;
    case "arraycomp":
    case "setcomp":
    case "objectcomp":
    case "template": {
      // Exactly one value (or undefined): take it from the general path without a generator.
      let out: Value | undefined;
      ev.evalTerm(t, f, (v) => { out = v; return true; });
      return out;
    }
    default:
      return GEN;
  }
}

/** A `data` ref whose segments are all known: at most one value, taken from the general walk. */
function directData(ev: Evaluator, t: Term & { type: "ref" }, f: Frame): Value | undefined | typeof GEN {
  for (const seg of t.path) {
    if (seg.type === "scalar") continue;
    if (seg.type === "var" && f.get(seg.name) !== undefined) continue;
    return GEN;
  }
  let out: Value | undefined;
  ev.evalData(ev.policy.root, ev.opts.data, ["data"], t.path, 0, f, (v) => { out = v; return true; });
  return out;
}
