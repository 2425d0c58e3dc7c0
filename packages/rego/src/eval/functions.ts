import { equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { RuleNode } from "../compiler/rule-tree.js";
import type { Evaluator } from "./evaluator.js";
import { Frame } from "./context.js";
import { conflict } from "./errors.js";
import { bodySteps } from "./body.js";
import { GEN, directFn } from "./direct.js";
import { constValue } from "./constants.js";
import type { DirectFn } from "./direct.js";
import type { Expr } from "../ast/types.js";

/** A body expression that only tests: a term, maybe negated, without `with`. */
type TestExpr = Expr & { kind: "term" };

/** A test of such a body, compiled; whether it has an output operand is known on first use. */
interface Test { e: TestExpr; test: DirectFn; hasOut: boolean | undefined }

/** A user function compiled for calls with a fixed operand count: its value, undefined, or GEN (use `callFunction`). */
export type FunctionFn = (ev: Evaluator, vals: Value[]) => Value | undefined | typeof GEN;

/**
 * The common function shape compiled once per call site and policy: no default, no `else`,
 * plain var parameters. Each rule binds its parameters in a frame and runs its compiled body;
 * every solution's value must agree (as `Evaluator.callFunction` checks). Returns undefined
 * for any other shape, which the caller leaves to `callFunction`.
 *
 * A call allocates nothing of its own: each rule's frame and continuation are made once and
 * reused. A call that starts while another is under way (a function used in its own operands'
 * evaluation, say) answers GEN and the caller takes the general path.
 */
export function compileFunction(node: RuleNode, arity: number): FunctionFn | undefined {
  if (node.defaultRule) return undefined;
  for (const r of node.rules) {
    if (r.elses.length > 0 || !r.args || !r.args.every((a) => a.type === "var")) return undefined;
  }
  let busy = false;
  let ev: Evaluator | undefined;
  let result: Value | undefined;
  const plans = node.rules.filter((r) => r.args!.length === arity).map((r) => {
    const frame = new Frame();
    const value = directFn(r.value);
    const onValue = (v: Value): boolean => {
      if (result !== undefined && !equals(result, v)) throw conflict("functions must not produce multiple outputs for same inputs", r.loc);
      result = v;
      return false;
    };
    const k = (): boolean => {
      ev!.onCover?.(r.loc);
      const v = value(ev!, frame);
      if (v === GEN) return ev!.evalTerm(r.value, frame, onValue);
      return v === undefined ? false : onValue(v);
    };
    // A body of plain tests (`f(rc) if rc.type in {...}`) runs as a loop over them, no chain.
    const tests = r.body.every((e): e is TestExpr => e.kind === "term" && e.withs.length === 0)
      ? r.body.map((e): Test => ({ e: e as TestExpr, test: directFn((e as TestExpr).term), hasOut: (e as TestExpr).term.type === "call" ? undefined : false }))
      : undefined;
    return { names: r.args!.map((a) => (a as { name: string }).name), steps: bodySteps(r.body), frame, k, tests, last: r.body[r.body.length - 1] };
  });
  /** Runs a body of plain tests directly: false when one fails, GEN when one cannot run directly. */
  const runTests = (e: Evaluator, frame: Frame, tests: Test[], last: Expr | undefined): boolean | typeof GEN => {
    for (let i = 0; i < tests.length; i++) {
      const t = tests[i]!;
      // A call with an output operand binds a var: that is the general path's work.
      t.hasOut ??= t.e.term.type === "call" && e.callSite(t.e.term).out !== undefined;
      if (t.hasOut) return GEN;
      e.tick(t.e);
      e.onCover?.(t.e.loc);
      const v = t.test(e, frame);
      if (v === GEN) return GEN;
      if ((v !== undefined && v !== false) === t.e.negated) return false;
    }
    e.tick(last);
    return true;
  };
  const single = plans.length === 1 && node.rules.length === 1 ? plans[0]! : undefined;
  const constant = single ? constValue(node.rules[0]!.value) : undefined;
  if (single?.tests && constant !== undefined && new Set(single.names).size === single.names.length) {
    // `taggable(rc) if rc.type in {...}`: one rule of plain tests with a constant value, called
    // on every resource. Bind the parameters in their slots, run the tests, unbind.
    const { frame, tests, names, last } = single;
    const rule = node.rules[0]!;
    const slots = names.map((n) => frame.bind(n, true));
    frame.reset();
    return (e, vals) => {
      if (busy) return GEN;
      busy = true;
      try {
        for (let i = 0; i < slots.length; i++) frame.setAt(slots[i]!, vals[i]!);
        const ok = runTests(e, frame, tests, last);
        if (ok === GEN) return GEN;
        if (!ok) return undefined;
        e.onCover?.(rule.loc);
        return constant;
      } finally {
        frame.reset();
        busy = false;
      }
    };
  }
  return (e, vals) => {
    if (busy) return GEN;
    busy = true;
    ev = e;
    result = undefined;
    try {
      for (const p of plans) {
        const frame = p.frame;
        let bound = true;
        for (let i = 0; i < p.names.length; i++) {
          const name = p.names[i]!;
          const prev = frame.get(name);
          if (prev !== undefined && !equals(prev, vals[i]!)) { bound = false; break; }
          frame.set(name, vals[i]!);
        }
        if (!bound) continue;
        const direct = p.tests ? runTests(e, frame, p.tests, p.last) : GEN;
        if (direct === GEN) p.steps[0]!(e, frame, p.k);
        else if (direct) p.k();
      }
      return result;
    } finally {
      // Drop the bindings: the policy outlives this evaluation and must not keep its input alive.
      for (const p of plans) p.frame.reset();
      busy = false;
      ev = undefined;
    }
  };
}
