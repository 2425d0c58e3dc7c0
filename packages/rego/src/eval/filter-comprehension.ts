import { RArray, RObject, RSet } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { ArrayCompTerm, Expr, SetCompTerm, Term } from "../ast/types.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame } from "./context.js";
import { GEN } from "./direct.js";
import type { DirectFn } from "./direct.js";
import { INDEX_MIN_MEMBERS, IterationIndex, indexableTests, memberAt } from "./iteration-index.js";

/** A filter of the comprehension: a term expression (maybe negated) with no `with`. */
type FilterExpr = Expr & { kind: "term" };

/**
 * Whether a filter is a call with an output operand (known once the policy is). Outside the
 * compiled closure so that no closure there captures `ev` (see `memberAt`).
 */
function hasOutput(ev: Evaluator, filters: readonly FilterExpr[]): boolean {
  return filters.some((e) => e.term.type === "call" && ev.callSite(e.term).out !== undefined);
}

/**
 * The filtering comprehension, `{t | some t in xs; not tags[t]}` (or `[...]`), compiled to one
 * loop: bind the member, run each filter directly, keep the member when all hold. The general
 * form runs a continuation per expression and per member; policies write this shape constantly
 * (missing tags, offending rules), so it gets its own path.
 *
 * Returns undefined for any other shape. The compiled function answers GEN when a filter cannot
 * be evaluated directly (it binds a var, or has an output operand); the caller then evaluates the
 * comprehension the general way, which only repeats pure work.
 *
 * Steps are counted and coverage reported as the general path does: each expression evaluated
 * and each member kept.
 */
export function compileFilterComprehension(t: ArrayCompTerm | SetCompTerm, compile: (t: Term) => DirectFn): DirectFn | undefined {
  const [first, ...rest] = t.body;
  if (!first || first.kind !== "somein" || first.negated || first.key || first.withs.length > 0) return undefined;
  const member = first.value;
  if (member.type !== "var" || member.name === "data" || member.name === "input") return undefined;
  if (t.term.type !== "var" || t.term.name !== member.name) return undefined;
  if (!rest.every((e): e is FilterExpr => e.kind === "term" && e.withs.length === 0)) return undefined;
  const filters = rest as FilterExpr[];
  const name = member.name;
  const domain = compile(first.domain);
  const tests = filters.map((e) => compile(e.term));
  // Leading filters that test the member against constants are answered once per collection.
  const indexed = indexableTests(name, filters);
  const index = indexed > 0 ? new IterationIndex(filters.slice(0, indexed), tests.slice(0, indexed), name) : undefined;
  const last = t.body[t.body.length - 1]!;
  const isSet = t.type === "setcomp";
  // Whether a filter is a call with an output operand depends on the policy: known on first use.
  let hasOut: boolean | undefined;
  let hint = 0;

  return (ev: Evaluator, f: Frame) => {
    hasOut ??= hasOutput(ev, filters);
    if (hasOut) return GEN;
    let slot = f.slotOf(name, hint);
    if (slot >= 0 && f.at(slot) !== undefined) return GEN;
    ev.tick(first);
    ev.onCover?.(first.loc);
    const dv = domain(ev, f);
    if (dv === GEN) return GEN;
    const items = dv instanceof RArray ? dv.items : dv instanceof RSet ? dv.values() : undefined;
    const entries = dv instanceof RObject ? dv.entries() : undefined;
    const n = items ? items.length : entries ? entries.length : 0;
    // Made on the first member kept: most calls of a filter keep none (no missing tag).
    let out: Value[] | undefined;
    if (n > 0) {
      const x0 = items ? items[0]! : entries![0]![1];
      if (slot < 0) slot = f.bind(name, x0);
      hint = slot;
      try {
        const sel = index && n >= INDEX_MIN_MEMBERS && ev.mocks.size === 0
          ? index.select(ev, f, slot, dv as object, n, memberAt(items, entries))
          : undefined;
        if (sel) index!.cover(ev, sel);
        // With a selection, only its members are visited and the indexed filters are not run
        // again; the members it skipped still count the steps they took.
        const visits = sel ? sel.hits.length : n;
        const from = sel ? indexed : 0;
        for (let m = 0; m < visits; m++) {
          if (sel) ev.tickN(filters[0], sel.skipped[m]! + indexed);
          const i = sel ? sel.hits[m]! : m;
          const x = items ? items[i]! : entries![i]![1];
          f.setAt(slot, x);
          let keep = true;
          for (let j = from; j < tests.length; j++) {
            const e = filters[j]!;
            ev.tick(e);
            ev.onCover?.(e.loc);
            const v = tests[j]!(ev, f);
            if (v === GEN) return GEN;
            if ((v !== undefined && v !== false) === e.negated) { keep = false; break; }
          }
          if (!keep) continue;
          ev.tick(last);
          (out ??= []).push(x);
        }
        if (sel) ev.tickN(filters[0], sel.skipped[sel.hits.length]!);
      } finally { f.setAt(slot, undefined); }
    }
    if (!isSet) return new RArray(out ?? []);
    return out ? RSet.from(out) : RSet.empty;
  };
}
