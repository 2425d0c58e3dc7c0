import type { KeyCache, Value } from "../value/index.js";
import type { Expr, Term } from "../ast/types.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame } from "./context.js";
import { constValue } from "./constants.js";
import { COMPARISONS } from "./call-sites.js";
import { GEN } from "./direct.js";
import type { DirectFn } from "./direct.js";
import { keyTest, partitionOf } from "./key-partition.js";
import type { KeyTest } from "./key-partition.js";

/** A test expression of a loop body: a term, maybe negated, without `with`. */
export type LoopTest = Expr & { kind: "term" };

/**
 * The member at position i of a loop's iteration order, for {@link IterationIndex.select}. Made
 * here rather than inline in the loop's closure: a closure written there would capture the
 * loop's locals, and V8 then allocates them a context on every run of the loop, indexed or not.
 */
export function memberAt(items: readonly Value[] | undefined, entries: readonly (readonly [Value, Value])[] | undefined): (i: number) => Value {
  return items ? (i) => items[i]! : (i) => entries![i]![1];
}

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
  /** The first test when it compares a member path with a string (answered by a partition). */
  private readonly key: KeyTest | undefined;
  private readonly keyCaches: KeyCache[];

  constructor(private readonly tests: readonly LoopTest[], private readonly fns: readonly DirectFn[], name: string) {
    this.key = tests[0] ? keyTest(tests[0], name) : undefined;
    this.keyCaches = this.key ? this.key.path.map(() => ({ index: undefined, pos: 0 })) : [];
  }

  /**
   * The selection for `coll`, whose members in iteration order are `memberAt(0..n-1)`; the
   * tests run with the loop var in frame slot `slot` (left bound to the last member). Undefined
   * when a test cannot be worked out directly (the caller then loops the general way).
   */
  select(ev: Evaluator, f: Frame, slot: number, coll: object, n: number, memberAt: (i: number) => Value): Selection | undefined {
    let sel = this.cache.get(coll);
    if (sel) return sel;
    const tests = this.tests;
    const hits: number[] = [];
    const skipped: number[] = [];
    const reached = tests.map(() => false);
    let pending = 0;
    // Runs tests `from..` on member i: false when one cannot be evaluated directly.
    const run = (i: number, from: number): boolean => {
      f.setAt(slot, memberAt(i));
      let j = from;
      for (; j < tests.length; j++) {
        reached[j] = true;
        const v = this.fns[j]!(ev, f);
        if (v === GEN) return false;
        if ((v !== undefined && v !== false) === tests[j]!.negated) break;
      }
      if (j === tests.length) {
        hits.push(i);
        skipped.push(pending);
        pending = 0;
      } else pending += j + 1;
      return true;
    };
    if (this.key && n > 0) {
      // Only the members whose value at the path is the constant pass the first test; each of
      // the others fails it, one step each.
      reached[0] = true;
      let prev = -1;
      for (const i of partitionOf(coll, this.key, this.keyCaches, n, memberAt).get(this.key.value) ?? []) {
        pending += i - prev - 1;
        prev = i;
        if (!run(i, 1)) return undefined;
      }
      pending += n - 1 - prev;
    } else {
      for (let i = 0; i < n; i++) if (!run(i, 0)) return undefined;
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
