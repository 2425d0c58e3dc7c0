import type { Value } from "../value/index.js";
import type { Expr, Term } from "../ast/types.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame } from "./context.js";
import { constValue } from "./constants.js";
import { COMPARISONS } from "./call-sites.js";
import { GEN } from "./direct.js";
import type { DirectFn } from "./direct.js";

/** A test expression of a loop body: a term, maybe negated, without `with`. */
export type LoopTest = Expr & { kind: "term" };

/** Below this many members a plain loop costs less than finding the cached selection. */
export const INDEX_MIN_MEMBERS = 16;

/**
 * Which members of one collection pass the leading tests of a loop, and what the others cost.
 * Positions are those of the loop's own iteration order (array order, sorted set/object order).
 */
export interface Selection {
  /** Positions of the members passing every indexed test, ascending. */
  readonly hits: readonly number[];
  /**
   * `skipped[m]`: the steps the members failing a test took (a member failing at test j took
   * j + 1) between hit m - 1 and hit m; `skipped[hits.length]`: after the last hit.
   */
  readonly skipped: readonly number[];
  /** Per test: whether any member got as far as it (its coverage). */
  readonly reached: readonly boolean[];
}

/**
 * How many of `after`'s leading expressions test nothing but the loop var `name` against
 * constants: a ref of `name` with a constant path, or a comparison / `in` between such operands.
 * Those tests give the same answer for a member every time (no input, data, functions or
 * errors are involved), so their outcome can be worked out once per collection.
 */
export function indexableTests(name: string, after: readonly Expr[]): number {
  let n = 0;
  while (n < after.length && isMemberTest(after[n]!, name)) n++;
  return n;
}

function isMemberTest(e: Expr, name: string): boolean {
  if (e.kind !== "term" || e.withs.length > 0) return false;
  const t = e.term;
  if (t.type === "ref") return isMemberPath(t, name);
  if (t.type !== "call" || t.args.length !== 2) return false;
  if (!COMPARISONS[t.op] && t.op !== "internal.member_2") return false;
  return t.args.every((a) => isMemberOperand(a, name)) && t.args.some((a) => !isConstant(a));
}

function isConstant(t: Term): boolean {
  return constValue(t) !== undefined;
}

function isMemberOperand(t: Term, name: string): boolean {
  if (t.type === "var") return t.name === name;
  if (t.type === "ref") return isMemberPath(t, name);
  return isConstant(t);
}

function isMemberPath(t: Term & { type: "ref" }, name: string): boolean {
  return t.head.type === "var" && t.head.name === name && t.path.every((s) => s.type === "scalar");
}

/**
 * The selections of one loop site, cached per collection object: a collection value is never
 * modified, so the same object always gives the same selection, and `with` replacements make
 * new objects. Every query over the same input shares the work.
 */
export class IterationIndex {
  private readonly cache = new WeakMap<object, Selection>();

  constructor(private readonly tests: readonly LoopTest[], private readonly fns: readonly DirectFn[]) {}

  /**
   * The selection for `coll`, whose members in iteration order are `memberAt(0..n-1)`; the
   * tests run with the loop var in frame slot `slot` (left bound to the last member). Undefined
   * when a test cannot be worked out directly (the caller then loops the general way).
   */
  select(ev: Evaluator, f: Frame, slot: number, coll: object, n: number, memberAt: (i: number) => Value): Selection | undefined {
    let sel = this.cache.get(coll);
    if (sel) return sel;
    const hits: number[] = [];
    const skipped: number[] = [];
    const reached = this.tests.map(() => false);
    let pending = 0;
    for (let i = 0; i < n; i++) {
      f.setAt(slot, memberAt(i));
      let j = 0;
      for (; j < this.tests.length; j++) {
        reached[j] = true;
        const v = this.fns[j]!(ev, f);
        if (v === GEN) return undefined;
        if ((v !== undefined && v !== false) === this.tests[j]!.negated) break;
      }
      if (j === this.tests.length) {
        hits.push(i);
        skipped.push(pending);
        pending = 0;
      } else pending += j + 1;
    }
    skipped.push(pending);
    sel = { hits, skipped, reached };
    this.cache.set(coll, sel);
    return sel;
  }

  /**
   * Runs the tests on the member bound now, counting steps and coverage as their own steps do:
   * `tests.length` when all pass, the position of the failing one when one fails, or `-(j + 1)`
   * when test j cannot be evaluated directly (tests before it counted; the caller resumes the
   * general evaluation at test j).
   */
  test(ev: Evaluator, f: Frame): number {
    const tests = this.tests;
    for (let j = 0; j < tests.length; j++) {
      const e = tests[j]!;
      const v = this.fns[j]!(ev, f);
      if (v === GEN) return -j - 1;
      ev.tick(e);
      ev.onCover?.(e.loc);
      if ((v !== undefined && v !== false) === e.negated) return j;
    }
    return tests.length;
  }

  /** Reports coverage of the tests some member reached, as evaluating them one by one would. */
  cover(ev: Evaluator, sel: Selection): void {
    const onCover = ev.onCover;
    if (!onCover) return;
    for (let j = 0; j < this.tests.length; j++) if (sel.reached[j]) onCover(this.tests[j]!.loc);
  }
}
