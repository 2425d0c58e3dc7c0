import { RArray, RObject, RSet } from "../value/index.js";
import type { KeyCache, Value } from "../value/index.js";
import type { Term } from "../ast/types.js";
import type { CompiledPolicy } from "../compiler/compiler.js";
import type { RuleNode } from "../compiler/rule-tree.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame } from "./context.js";
import { lookup } from "./collections.js";
import { constValue } from "./constants.js";
import { COMPARISONS, functionNode } from "./call-sites.js";
import { memberOf } from "./relations.js";
import { builtins, operandCheck } from "../builtins/index.js";
import { compileFunction } from "./functions.js";
import { compileFilterComprehension } from "./filter-comprehension.js";
import { bodySteps } from "./body.js";
import { builtinShortcut } from "./builtin-shortcuts.js";
import type { StepFn } from "./body.js";
import type { FunctionFn } from "./functions.js";

/** Marks a term the direct evaluator leaves to the general (generator) path. */
export const GEN = Symbol("generator");

/** A term compiled for direct evaluation: its value, undefined, or GEN (use the general path). */
export type DirectFn = (ev: Evaluator, f: Frame) => Value | undefined | typeof GEN;

const compiled = new WeakMap<Term, DirectFn>();

/**
 * Evaluates a term that cannot generate (every var bound) without continuations: the common
 * case, and far cheaper than the general path. Returns GEN when the term may generate or is
 * not handled here, so the caller falls back to `evalTerm`'s general path.
 */
export function direct(ev: Evaluator, t: Term, f: Frame): Value | undefined | typeof GEN {
  return directFn(t)(ev, f);
}

/**
 * The term compiled to a closure (once per term): the tree walk, switch on term kinds and
 * per-call-site lookups happen at compile time instead of on every evaluation.
 */
export function directFn(t: Term): DirectFn {
  let fn = compiled.get(t);
  if (!fn) {
    fn = compileTerm(t);
    compiled.set(t, fn);
  }
  return fn;
}

const genFn: DirectFn = () => GEN;

/** What a comprehension collects into between evaluations (never written: only used while busy). */
const IDLE: Value[] = [];

function compileTerm(t: Term): DirectFn {
  switch (t.type) {
    case "scalar": {
      const v = t.value;
      return () => v;
    }
    case "var": {
      if (t.name === "input") return (ev) => ev.input;
      if (t.name === "data") return genFn;
      return varFn(t.name);
    }
    case "ref": return compileRef(t);
    case "call": return compileCall(t);
    case "array": {
      const c = constValue(t);
      if (c !== undefined) return () => c;
      const items = t.items.map(directFn);
      return (ev, f) => {
        const out: Value[] = new Array<Value>(items.length);
        for (let i = 0; i < items.length; i++) {
          const x = items[i]!(ev, f);
          if (x === GEN || x === undefined) return x;
          out[i] = x;
        }
        return new RArray(out);
      };
    }
    case "set":
    case "object": {
      const c = constValue(t);
      return c === undefined ? genFn : () => c;
    }
    case "arraycomp":
    case "setcomp": {
      // Collect the member term's values over the compiled body, without a generator per value.
      // The continuation is made once; a re-entrant evaluation (busy) makes its own.
      const item = directFn(t.term);
      const body = t.body;
      const isSet = t.type === "setcomp";
      let steps: StepFn[] | undefined;
      let busy = false;
      // The evaluation under way (while busy): plain variables, not an object per evaluation.
      let curEv: Evaluator | undefined;
      let curF: Frame | undefined;
      let curOut: Value[] = IDLE;
      const push = (v: Value): boolean => { curOut.push(v); return false; };
      const k = (): boolean => {
        const v = item(curEv!, curF!);
        if (v === GEN) return curEv!.evalTerm(t.term, curF!, push);
        if (v !== undefined) curOut.push(v);
        return false;
      };
      const general: DirectFn = (ev, f) => {
        steps ??= bodySteps(body);
        const out: Value[] = [];
        if (ev.tracer) {
          // Explained: the body is a query of its own in the trace (Enter, Eval, Exit, Redo).
          ev.evalBody(body, 0, f, () => ev.evalTerm(t.term, f, (v) => { out.push(v); return false; }));
        } else if (busy) {
          const own = (v: Value): boolean => { out.push(v); return false; };
          steps[0]!(ev, f, () => ev.evalTerm(t.term, f, own));
        } else {
          busy = true;
          curEv = ev; curF = f; curOut = out;
          try { steps[0]!(ev, f, k); } finally { busy = false; curEv = undefined; curF = undefined; curOut = IDLE; }
        }
        if (!isSet) return new RArray(out);
        // Filters usually find nothing: share the empty set instead of building an index.
        return out.length === 0 ? RSet.empty : RSet.from(out);
      };
      const filter = compileFilterComprehension(t, directFn);
      if (!filter) return general;
      return (ev, f) => {
        if (ev.tracer) return general(ev, f);
        const v = filter(ev, f);
        return v === GEN ? general(ev, f) : v;
      };
    }
    case "objectcomp":
    case "template":
      // Exactly one value (or undefined): take it from the general path without a generator.
      return (ev, f) => {
        let out: Value | undefined;
        ev.evalTerm(t, f, (v) => { out = v; return true; });
        return out;
      };
    default:
      return genFn;
  }
}

/** A bound var's value (GEN when unbound), found through the slot it had last time. */
function varFn(name: string): DirectFn {
  let hint = 0;
  return (_ev, f) => {
    const i = f.slotOf(name, hint);
    if (i < 0) return GEN;
    hint = i;
    const v = f.at(i);
    return v === undefined ? GEN : v;
  };
}

function compileRef(t: Term & { type: "ref" }): DirectFn {
  const h = t.head;
  if (h.type === "var" && h.name === "data") return compileDataRef(t);
  const segs = t.path.map((seg): DirectFn | Value => (seg.type === "scalar" ? seg.value : directFn(seg)));
  // Constant paths (`input.a.b`, `x.change.after`): the common case, a plain lookup loop.
  const keys = t.path.every((s) => s.type === "scalar") ? segs as Value[] : undefined;
  let head: DirectFn;
  if (h.type === "var" && h.name === "input") head = (ev) => ev.input;
  else if (h.type === "var") {
    head = varFn(h.name);
  } else head = directFn(h);
  if (keys) {
    // One position cache per segment: plan documents repeat the same object shapes.
    const caches: KeyCache[] = keys.map(() => ({ index: undefined, pos: 0 }));
    return (ev, f) => {
      let v = head(ev, f);
      if (v === GEN || v === undefined) return v;
      for (let i = 0; i < keys.length; i++) {
        v = v instanceof RObject ? v.getCached(keys[i]!, caches[i]!) : lookup(v, keys[i]!);
        if (v === undefined) return undefined;
      }
      return v;
    };
  }
  // Constant segments still look up through a position cache (`b.change.after[flag]`).
  const segCaches: KeyCache[] = segs.map(() => ({ index: undefined, pos: 0 }));
  return (ev, f) => {
    let v = head(ev, f);
    if (v === GEN || v === undefined) return v;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      if (typeof seg === "function") {
        const key = seg(ev, f);
        if (key === GEN || key === undefined) return key;
        if (v === undefined) return undefined;
        v = lookup(v, key);
      } else {
        if (v === undefined) return undefined;
        v = v instanceof RObject ? v.getCached(seg, segCaches[i]!) : lookup(v, seg);
      }
    }
    return v;
  };
}

function compileCall(t: Term & { type: "call" }): DirectFn {
  const op = t.op;
  const cmp = COMPARISONS[op];
  const args = t.args.map(directFn);
  if (cmp && args.length === 2) {
    const a0 = args[0]!;
    const a1 = args[1]!;
    return (ev, f) => {
      if (ev.mocks.size > 0) return GEN;
      const a = a0(ev, f);
      if (a === GEN || a === undefined) return a;
      const b = a1(ev, f);
      if (b === GEN || b === undefined) return b;
      return cmp(a, b);
    };
  }
  if (op === "walk" || op === "print") return genFn;
  if (op === "internal.member_2" && args.length === 2) {
    // `x in xs`: no operand array, and a set answers by hash.
    const a0 = args[0]!;
    const a1 = args[1]!;
    let hasOut: boolean | undefined;
    return (ev, f) => {
      if (ev.mocks.size > 0) return GEN;
      if (hasOut === undefined) hasOut = ev.callSite(t).out !== undefined;
      if (hasOut) return GEN;
      const x = a0(ev, f);
      if (x === GEN || x === undefined) return x;
      const c = a1(ev, f);
      if (c === GEN || c === undefined) return c;
      return c instanceof RSet ? c.has(x) : memberOf(x, c, undefined);
    };
  }
  // Whether the call has an output operand depends on the policy's arities: decided on first use.
  let hasOut: boolean | undefined;
  let nodePolicy: CompiledPolicy | undefined;
  let node: RuleNode | undefined;
  let fast: FunctionFn | undefined;
  // Builtins are looked up once (`with` replacements are handled above, via ev.mocks).
  const def = builtins.get(op);
  const accept = def ? operandCheck(def) : undefined;
  const isData = op.startsWith("data.");
  const member2 = op === "internal.member_2";
  const member3 = op === "internal.member_3";
  const call: DirectFn = (ev, f) => {
    if (ev.mocks.size > 0) return GEN;
    if (hasOut === undefined) hasOut = ev.callSite(t).out !== undefined;
    if (hasOut) return GEN;
    const vals: Value[] = new Array<Value>(args.length);
    for (let i = 0; i < args.length; i++) {
      const x = args[i]!(ev, f);
      if (x === GEN || x === undefined) return x;
      vals[i] = x;
    }
    if (member2) { const c = vals[1]!; return c instanceof RSet ? c.has(vals[0]!) : memberOf(vals[0]!, c, undefined); }
    if (member3) return memberOf(vals[1]!, vals[2]!, vals[0]!);
    if (isData) {
      if (nodePolicy !== ev.policy) {
        node = functionNode(ev.policy, op);
        nodePolicy = ev.policy;
        fast = node?.isFunction ? compileFunction(node, args.length) : undefined;
      }
      if (fast && !ev.tracer) {
        const out = fast(ev, vals);
        if (out !== GEN) return out;
      }
      if (!node?.isFunction) return GEN;
      return functionValue(ev, node, vals);
    }
    if (!def) return ev.callBuiltin(op, vals, t);
    return ev.callBuiltinDef(def, vals, t, accept);
  };
  return (def && builtinShortcut(t, args, call)) || call;
}

/**
 * A user function's first value by the general path. A helper, so that the callback capturing
 * the result does not make every run of the compiled call allocate a context for it.
 */
export function functionValue(ev: Evaluator, node: RuleNode, vals: Value[]): Value | undefined {
  let out: Value | undefined;
  ev.callFunction(node, vals, (v) => { out = v; return true; });
  return out;
}

/**
 * A `data` ref: the rule node its constant leading segments name is found once per policy; its
 * (memoized) document is then indexed by the remaining segments' values.
 */
function compileDataRef(t: Term & { type: "ref" }): DirectFn {
  let policy: CompiledPolicy | undefined;
  let node: RuleNode | undefined;
  let at: string[] = [];
  const names: string[] = [];
  for (const seg of t.path) {
    if (seg.type !== "scalar" || typeof seg.value !== "string") break;
    names.push(seg.value);
  }
  let used = 0;
  const rest = t.path.map(directFn);
  return (ev, f) => {
    if (ev.overrides.size > 0) return directData(ev, t, f);
    if (policy !== ev.policy) {
      policy = ev.policy;
      node = policy.root;
      used = 0;
      while (node && !node.hasRules && used < names.length) node = node.children.get(names[used++]!);
      // Only documents of (non-function) rules take the fast path; packages and base data do not.
      if (node && (!node.hasRules || node.isFunction)) node = undefined;
      at = ["data", ...names.slice(0, used)];
    }
    if (!node) return directData(ev, t, f);
    let base: Value | undefined = ev.opts.data;
    for (let i = 0; i < used && base !== undefined; i++) base = lookup(base, names[i]!);
    // What `materialize` does for a rule node without overrides: base data wins, else the rules.
    let v = base !== undefined ? base : ev.nodeValue(node, base, at);
    for (let i = used; i < rest.length; i++) {
      const key = rest[i]!(ev, f);
      if (key === GEN || key === undefined) return key;
      if (v === undefined) return undefined;
      v = lookup(v, key);
    }
    return v;
  };
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
