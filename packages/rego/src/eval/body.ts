import { RArray, RObject, RSet } from "../value/index.js";
import type { Body, Expr } from "../ast/types.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame, K } from "./context.js";
import { evalWith } from "./with.js";
import { GEN, directFn } from "./direct.js";

/** One compiled body expression and everything after it: true when the caller should stop. */
export type StepFn = (ev: Evaluator, f: Frame, k: K) => boolean;

const compiled = new WeakMap<Body, StepFn[]>();

/**
 * The body compiled to a chain of closures, one per expression (`steps[i]` evaluates from
 * expression i on). Expressions that cannot generate (filters, assignments of a single value)
 * and `some x in xs` loops run without interpreting the AST; anything else falls back to
 * `Evaluator.evalExpr`. Bindings are undone when the continuation returns (backtracking).
 */
export function bodySteps(body: Body): StepFn[] {
  let steps = compiled.get(body);
  if (!steps) {
    steps = new Array<StepFn>(body.length + 1);
    const last = body[body.length - 1];
    // Every expression evaluated and every solution reached counts as one step.
    steps[body.length] = (ev, _f, k) => { ev.tick(last); return k(); };
    for (let i = body.length - 1; i >= 0; i--) steps[i] = compileExpr(body[i]!, steps[i + 1]!);
    compiled.set(body, steps);
  }
  return steps;
}

function compileExpr(e: Expr, next: StepFn): StepFn {
  const loc = e.loc;
  if (e.withs.length > 0) {
    return (ev, f, k) => {
      ev.tick(e);
      ev.onCover?.(loc);
      return evalWith(ev, e, f, () => next(ev, f, k));
    };
  }
  const general: StepFn = (ev, f, k) => ev.evalExpr(e, f, () => next(ev, f, k));
  if (e.kind === "term") {
    const t = e.term;
    const d = directFn(t);
    const negated = e.negated;
    const call = t.type === "call" ? t : undefined;
    // Whether the call has an output operand depends on the policy's arities: known on first use.
    let hasOut = call ? undefined : false;
    return (ev, f, k) => {
      ev.tick(e);
      ev.onCover?.(loc);
      if (hasOut === undefined) hasOut = ev.callSite(call!).out !== undefined;
      if (hasOut) return general(ev, f, k);
      const v = d(ev, f);
      if (v === GEN) return general(ev, f, k);
      if ((v !== undefined && v !== false) === negated) return false;
      return next(ev, f, k);
    };
  }
  if (e.kind === "unify" && !e.negated && e.left.type === "var" && e.left.name !== "data" && e.left.name !== "input") {
    const name = e.left.name;
    const d = directFn(e.right);
    let hint = 0;
    return (ev, f, k) => {
      ev.tick(e);
      ev.onCover?.(loc);
      let i = f.slotOf(name, hint);
      if (i >= 0 && f.at(i) !== undefined) return general(ev, f, k);
      const v = d(ev, f);
      if (v === GEN) return general(ev, f, k);
      if (v === undefined) return false;
      if (i < 0) i = f.bind(name, v);
      else f.setAt(i, v);
      hint = i;
      try { return next(ev, f, k); } finally { f.setAt(i, undefined); }
    };
  }
  if (e.kind === "somein" && !e.negated && !e.key && e.value.type === "var" && e.value.name !== "data" && e.value.name !== "input") {
    const name = e.value.name;
    const domain = directFn(e.domain);
    let hint = 0;
    return (ev, f, k) => {
      ev.tick(e);
      ev.onCover?.(loc);
      let slot = f.slotOf(name, hint);
      if (slot >= 0 && f.at(slot) !== undefined) return general(ev, f, k);
      const dv = domain(ev, f);
      if (dv === GEN) return general(ev, f, k);
      if (dv === undefined) return false;
      // Arrays in order, sets and objects in sorted order (cached): plain loops, no callbacks.
      const items = dv instanceof RArray ? dv.items : dv instanceof RSet ? dv.values() : undefined;
      const entries = dv instanceof RObject ? dv.entries() : undefined;
      const n = items ? items.length : entries ? entries.length : 0;
      if (n === 0) return false;
      const first = items ? items[0]! : entries![0]![1];
      if (slot < 0) slot = f.bind(name, first);
      hint = slot;
      try {
        for (let i = 0; i < n; i++) {
          f.setAt(slot, items ? items[i]! : entries![i]![1]);
          if (next(ev, f, k)) return true;
        }
        return false;
      } finally { f.setAt(slot, undefined); }
    };
  }
  return (ev, f, k) => {
    ev.tick(e);
    ev.onCover?.(loc);
    return general(ev, f, k);
  };
}
