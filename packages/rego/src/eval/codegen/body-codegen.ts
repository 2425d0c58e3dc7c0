import type { Body, Expr, Term } from "../../ast/types.js";
import { Frame } from "../context.js";
import { directFn } from "../direct.js";
import { INDEX_MIN_MEMBERS, IterationIndex, indexableTests } from "../iteration-index.js";
import type { LoopTest } from "../iteration-index.js";
import { keyTest } from "../key-partition.js";
import type { KeyTest } from "../key-partition.js";
import type { KeyCache } from "../../value/index.js";
import { INELIGIBLE, Scope } from "./emitter.js";
import type { Emitter } from "./emitter.js";
import { termCode } from "./term-codegen.js";

/**
 * Emits a body as nested JS: each `some x in xs` opens a loop around the rest of the body, each
 * other expression computes its value and runs `fail` (continue the innermost loop, or leave
 * the body) when it is undefined or false. Backtracking is the loops themselves: a Rego var is
 * a JS local, bound again on the next iteration. `solution` emits what one solution does.
 * Steps are counted as the interpreter counts them (one per expression evaluated, one per
 * solution), so step limits hold on both paths.
 */
export function bodyCode(g: Emitter, s: Scope, body: Body, fail0: string, solution: (s: Scope, fail: string) => void): void {
  let fail = fail0;
  const closers: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const e = body[i]!;
    if (e.withs.length > 0) throw INELIGIBLE;
    g.emit(`ev.tick(${g.constant(e)});`);
    switch (e.kind) {
      case "term": testCode(g, s, e, fail); break;
      case "unify": unifyCode(g, s, e, fail); break;
      case "some":
        for (const v of e.vars) { if (s.find(v.name) !== undefined) throw INELIGIBLE; s.declared.add(v.name); }
        break;
      case "somein": {
        const loop = loopCode(g, s, body, i, fail);
        fail = loop.fail;
        closers.push(loop.close);
        i += loop.tests;
        break;
      }
      default: throw INELIGIBLE;
    }
  }
  g.emit(`ev.tick(${g.constant(body[body.length - 1])});`);
  solution(s, fail);
  for (let i = closers.length - 1; i >= 0; i--) g.emit(closers[i]!);
}

type TermExpr = Expr & { kind: "term" };

/** A test: the term's value must be defined and not false (negated: undefined or false). */
function testCode(g: Emitter, s: Scope, e: TermExpr, fail: string): void {
  if (!e.negated) {
    const v = termCode(g, s, e.term, fail);
    g.emit(`if (${v} === false) ${fail}`);
    return;
  }
  // `not t`: t's own failure only ends this block.
  const block = g.fresh("N");
  const out = g.fresh("n");
  g.emit(`let ${out}; ${block}: {`);
  const v = termCode(g, s, e.term, `break ${block};`);
  g.emit(`${out} = ${v}; }`);
  g.emit(`if (${out} !== undefined && ${out} !== false) ${fail}`);
}

function plainVar(t: Term): string | undefined {
  return t.type === "var" && t.name !== "input" && t.name !== "data" ? t.name : undefined;
}

/** `x := t` / `x = t` (or `t = x`) with x unbound binds it; both sides known compare. */
function unifyCode(g: Emitter, s: Scope, e: Expr & { kind: "unify" }, fail: string): void {
  if (e.negated) throw INELIGIBLE;
  const l = plainVar(e.left);
  const r = plainVar(e.right);
  const free = (name: string | undefined): name is string => name !== undefined && s.find(name) === undefined && (s.isDeclared(name) || !g.entry.has(name));
  if (e.op === ":=" && (e.left.type !== "var" || !free(l))) throw INELIGIBLE;
  if (free(l)) {
    const v = termCode(g, s, e.right, fail);
    g.emit(`${g.bind(s, l)} = ${v};`);
    return;
  }
  if (free(r)) {
    const v = termCode(g, s, e.left, fail);
    g.emit(`${g.bind(s, r)} = ${v};`);
    return;
  }
  if (e.left.type !== "var" && e.left.type !== "ref" && e.left.type !== "scalar") throw INELIGIBLE;
  if (e.right.type !== "var" && e.right.type !== "ref" && e.right.type !== "scalar" && e.right.type !== "call") throw INELIGIBLE;
  const a = termCode(g, s, e.left, fail);
  const b = termCode(g, s, e.right, fail);
  g.emit(`if (!R.equals(${a}, ${b})) ${fail}`);
}

/**
 * `some x in xs` with x fresh: a loop over the members (array order, sorted set and object
 * order). When tests of x against constants follow, the loop visits only the members the
 * iteration index (eval/iteration-index.ts) selects for them, as the interpreter does.
 */
function loopCode(g: Emitter, s: Scope, body: Body, i: number, fail: string): { fail: string; close: string; tests: number } {
  const e = body[i]! as Expr & { kind: "somein" };
  const name = plainVar(e.value);
  if (e.negated || e.key || name === undefined || s.find(name) !== undefined) throw INELIGIBLE;
  const d = termCode(g, s, e.domain, fail);
  const [it, n, m, idx, sel, c] = ["it", "n", "m", "i", "sel", "c"].map((p) => g.fresh(p)) as [string, string, string, string, string, string];
  const loop = g.fresh("L");
  g.emit(`let ${it}, ${n} = 0;`);
  // Members in iteration order: an array's own, a set's or an object's values in sorted order.
  g.emit(`if (${d} instanceof R.RArray) { ${it} = ${d}.items; ${n} = ${it}.length; } else if (${d} instanceof R.RSet || ${d} instanceof R.RObject) { ${it} = ${d}.values(); ${n} = ${it}.length; }`);
  const x = g.bind(s, name);
  const tested = indexableTests(name, body.slice(i + 1));
  if (tested === 0) {
    g.emit(`${loop}: for (let ${idx} = 0; ${idx} < ${n}; ${idx}++) {`);
    g.emit(`${x} = ${it}[${idx}];`);
    return { fail: `continue ${loop};`, close: "}", tests: 0 };
  }
  const tests = body.slice(i + 1, i + 1 + tested) as LoopTest[];
  const key = keyTest(tests[0]!, name);
  if (key) return partitionLoopCode(g, s, { x, d, it, n, m, idx, c, loop }, tests, key);
  // The index runs its tests on a frame of its own holding only x (they read nothing else).
  const frame = new Frame();
  const slot = frame.bind(name, true);
  frame.reset();
  const index = g.constant(new IterationIndex(tests, tests.map((t) => directFn(t.term)), name));
  const sf = g.constant(frame);
  const first = g.constant(tests[0]);
  g.emit(`if (${n} > 0) {`);
  g.emit(`const ${sel} = ${n} >= ${INDEX_MIN_MEMBERS} ? ${index}.select(ev, ${sf}, ${slot}, ${d}, ${n}, R.memberAt(${it}, undefined)) : undefined;`);
  g.emit(`${sf}.setAt(${slot}, undefined);`);
  g.emit(`const ${c} = ${sel} === undefined ? ${n} : ${sel}.hits.length;`);
  g.emit(`${loop}: for (let ${m} = 0; ${m} < ${c}; ${m}++) {`);
  g.emit(`let ${idx} = ${m};`);
  // Members the index skipped count the steps their failing tests would have taken.
  g.emit(`if (${sel} !== undefined) { ev.tickN(${first}, ${sel}.skipped[${m}] + ${tested}); ${idx} = ${sel}.hits[${m}]; }`);
  g.emit(`${x} = ${it}[${idx}];`);
  g.emit(`if (${sel} === undefined) {`);
  for (const t of tests) {
    g.emit(`ev.tick(${g.constant(t)});`);
    testCode(g, s, t, `continue ${loop};`);
  }
  g.emit("}");
  return { fail: `continue ${loop};`, close: `} if (${sel} !== undefined) ev.tickN(${first}, ${sel}.skipped[${c}]); }`, tests: tested };
}

/**
 * A loop whose first test compares a member path with a string (`rc.type == "aws_instance"`):
 * it visits only the members of that value, found in the collection's partition by that path
 * (built once per collection and shared by every loop site testing the path, see
 * key-partition.ts), and runs the other tests inline. Each member left out counts the one step
 * of the test it fails, as the interpreter counts it. Small collections are looped plainly.
 */
function partitionLoopCode(g: Emitter, s: Scope, l: Record<"x" | "d" | "it" | "n" | "m" | "idx" | "c" | "loop", string>, tests: LoopTest[], key: KeyTest): { fail: string; close: string; tests: number } {
  const { x, d, it, n, m, idx, c, loop } = l;
  const grp = g.fresh("grp");
  const prev = g.fresh("prev");
  const k = g.constant(key);
  const caches = g.constant(key.path.map((): KeyCache => ({ index: undefined, pos: 0 })));
  const first = g.constant(tests[0]);
  g.emit(`if (${n} > 0) {`);
  g.emit(`const ${grp} = ${n} >= ${INDEX_MIN_MEMBERS} ? R.partitionOf(${d}, ${k}, ${caches}, ${n}, R.memberAt(${it}, undefined)).get(${k}.value) ?? R.NONE : undefined;`);
  g.emit(`const ${c} = ${grp} === undefined ? ${n} : ${grp}.length; let ${prev} = -1;`);
  g.emit(`${loop}: for (let ${m} = 0; ${m} < ${c}; ${m}++) {`);
  g.emit(`let ${idx} = ${m};`);
  g.emit(`if (${grp} !== undefined) { ${idx} = ${grp}[${m}]; ev.tickN(${first}, ${idx} - ${prev} - 1); ${prev} = ${idx}; }`);
  g.emit(`${x} = ${it}[${idx}];`);
  g.emit(`ev.tick(${first});`);
  g.emit(`if (${grp} === undefined) {`);
  testCode(g, s, tests[0]!, `continue ${loop};`);
  g.emit("}");
  for (const t of tests.slice(1)) {
    g.emit(`ev.tick(${g.constant(t)});`);
    testCode(g, s, t, `continue ${loop};`);
  }
  return { fail: `continue ${loop};`, close: `} if (${grp} !== undefined) ev.tickN(${first}, ${n} - 1 - ${prev}); }`, tests: tests.length };
}

/** A set or array comprehension: its body inline, each solution's term collected. */
export function comprehensionCode(g: Emitter, s: Scope, t: Term & { type: "setcomp" | "arraycomp" }): string {
  const out = g.fresh("o");
  const block = g.fresh("C");
  // Made on the first member: filters usually collect nothing.
  g.emit(`let ${out}; ${block}: {`);
  const inner = new Scope(s);
  const decl = g.lines.length;
  g.emit("");
  bodyCode(g, inner, t.body, `break ${block};`, (cs, fail) => {
    const v = termCode(g, cs, t.term, fail);
    g.emit(`(${out} ??= []).push(${v});`);
  });
  if (inner.decls.length > 0) g.lines[decl] = `let ${inner.decls.join(", ")};`;
  g.emit("}");
  const v = g.fresh("t");
  g.emit(t.type === "setcomp"
    ? `const ${v} = ${out} === undefined ? R.RSet.empty : R.RSet.from(${out});`
    : `const ${v} = new R.RArray(${out} ?? []);`);
  return v;
}
