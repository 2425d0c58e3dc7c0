import { RArray, RObject, RSet } from "../value/index.js";
import type { Body, Expr } from "../ast/types.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame, K } from "./context.js";
import { evalWith } from "./with.js";
import { GEN, directFn } from "./direct.js";
import { INDEX_MIN_MEMBERS, IterationIndex, indexableTests, memberAt } from "./iteration-index.js";
import type { LoopTest } from "./iteration-index.js";

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
    for (let i = body.length - 1; i >= 0; i--) {
      const e = body[i]!;
      // `some x in xs` followed by tests of x against constants: iterate only the members passing them.
      const tested = isPlainSomeIn(e) ? indexableTests(e.value.name, body.slice(i + 1)) : 0;
      const index = tested > 0 ? { tests: body.slice(i + 1, i + 1 + tested) as LoopTest[], chain: steps.slice(i + 1, i + 2 + tested) } : undefined;
      steps[i] = compileExpr(e, steps[i + 1]!, index);
    }
    compiled.set(body, steps);
  }
  return steps;
}

/** `some x in xs` with a plain var `x` and no key, `not` or `with`. */
type PlainSomeIn = Expr & { kind: "somein"; value: { type: "var"; name: string } };

function isPlainSomeIn(e: Expr): e is PlainSomeIn {
  return e.kind === "somein" && !e.negated && !e.key && e.withs.length === 0 && e.value.type === "var" && e.value.name !== "data" && e.value.name !== "input";
}

/**
 * The tests right after a `some x in xs` that an iteration index answers; `chain[j]` evaluates
 * from test j on (`chain[tests.length]`: the step after them).
 */
interface IndexedTests { tests: LoopTest[]; chain: StepFn[] }

function compileExpr(e: Expr, next: StepFn, indexed?: IndexedTests): StepFn {
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
  if (isPlainSomeIn(e)) {
    const name = e.value.name;
    const domain = directFn(e.domain);
    const index = indexed ? new IterationIndex(indexed.tests, indexed.tests.map((x) => directFn(x.term)), name) : undefined;
    const tested = indexed ? indexed.tests.length : 0;
    const firstTest = indexed?.tests[0];
    const chain = indexed?.chain;
    const after = chain?.[tested];
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
        if (index && n >= INDEX_MIN_MEMBERS && ev.mocks.size === 0) {
          const sel = index.select(ev, f, slot, dv as object, n, memberAt(items, entries));
          if (sel) {
            // What the plain loop does, minus evaluating the tests: the members that fail them
            // still count their steps, and the tests their coverage.
            index.cover(ev, sel);
            const hits = sel.hits;
            const skipped = sel.skipped;
            for (let m = 0; m < hits.length; m++) {
              ev.tickN(firstTest, skipped[m]! + tested);
              const i = hits[m]!;
              f.setAt(slot, items ? items[i]! : entries![i]![1]);
              if (after!(ev, f, k)) return true;
            }
            ev.tickN(firstTest, skipped[hits.length]!);
            return false;
          }
        }
        if (index && ev.mocks.size === 0) {
          // A small collection: the tests run inline, without a step closure each.
          for (let i = 0; i < n; i++) {
            f.setAt(slot, items ? items[i]! : entries![i]![1]);
            const j = index.test(ev, f);
            if (j === tested ? after!(ev, f, k) : j < 0 && chain![-j - 1]!(ev, f, k)) return true;
          }
          return false;
        }
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
