import type { Term } from "../../ast/types.js";
import { RSet } from "../../value/index.js";
import { builtins, operandCheck, plainFormatParts } from "../../builtins/index.js";
import { constValue } from "../constants.js";
import { functionNode } from "../call-sites.js";
import { compileFunction } from "../functions.js";
import { directFn } from "../direct.js";
import { INELIGIBLE, Scope } from "./emitter.js";
import type { Emitter } from "./emitter.js";
import { bodyCode, comprehensionCode } from "./body-codegen.js";
import type { RuleNode } from "../../compiler/rule-tree.js";

type Ref = Term & { type: "ref" };
type Call = Term & { type: "call" };

const COMPARE: Readonly<Record<string, (a: string, b: string) => string>> = {
  equal: (a, b) => `R.equals(${a}, ${b})`,
  neq: (a, b) => `!R.equals(${a}, ${b})`,
  lt: (a, b) => `R.compare(${a}, ${b}) < 0`,
  lte: (a, b) => `R.compare(${a}, ${b}) <= 0`,
  gt: (a, b) => `R.compare(${a}, ${b}) > 0`,
  gte: (a, b) => `R.compare(${a}, ${b}) >= 0`,
};

/**
 * Emits the statements computing term `t` and returns the JS expression (a name) holding its
 * value. An undefined value runs `fail` (the statement that backtracks), so the returned name
 * always holds a value. Throws INELIGIBLE for terms that could generate several values or are
 * not handled here.
 */
export function termCode(g: Emitter, s: Scope, t: Term, fail: string): string {
  switch (t.type) {
    case "scalar": return g.constant(t.value);
    case "var": {
      if (t.name === "input") return valueOf(g, "ev.input", fail);
      return g.read(s, t.name);
    }
    case "ref": return refCode(g, s, t, fail);
    case "call": return callCode(g, s, t, fail);
    case "array": {
      const c = constValue(t);
      if (c !== undefined) return g.constant(c);
      const items = t.items.map((x) => termCode(g, s, x, fail));
      return valueOf(g, `new R.RArray([${items.join(", ")}])`, undefined);
    }
    case "set":
    case "object": {
      const c = constValue(t);
      if (c === undefined) throw INELIGIBLE;
      return g.constant(c);
    }
    case "setcomp":
    case "arraycomp":
      return comprehensionCode(g, s, t);
    default:
      throw INELIGIBLE;
  }
}

/** A new local holding `expr`; with `fail`, an undefined value backtracks. */
function valueOf(g: Emitter, expr: string, fail: string | undefined): string {
  const x = g.fresh("t");
  g.emit(`const ${x} = ${expr};`);
  if (fail !== undefined) g.emit(`if (${x} === undefined) ${fail}`);
  return x;
}

/** Heads whose refs are walked here: `input`, a var, any single-valued term; `data` prefixes below. */
function refCode(g: Emitter, s: Scope, t: Ref, fail: string): string {
  let v: string;
  let rest = t.path;
  if (t.head.type === "var" && t.head.name === "data") {
    const prefix = dataPrefix(g, t);
    const doc = directFn(prefix);
    let h = g.hoisted.get(doc);
    if (h === undefined) { h = g.fresh("h"); g.hoisted.set(doc, h); }
    v = valueOf(g, `${h} !== R.GEN ? ${h} : (${h} = ${g.constant(doc)}(ev, f))`, fail);
    rest = t.path.slice(prefix.path.length);
  } else v = termCode(g, s, t.head, fail);
  for (const seg of rest) {
    if (seg.type === "scalar" && typeof seg.value === "string") {
      // One position cache per segment: plan documents repeat the same object shapes.
      const cache = g.constant({ index: undefined, pos: 0 });
      const key = g.constant(seg.value);
      v = valueOf(g, `${v} instanceof R.RObject ? ${v}.getCached(${key}, ${cache}) : R.lookup(${v}, ${key})`, fail);
    } else {
      const key = termCode(g, s, seg, fail);
      v = valueOf(g, `R.lookup(${v}, ${key})`, fail);
    }
  }
  return v;
}

const prefixes = new WeakMap<Ref, Ref>();

/**
 * The leading constant segments of a `data` ref up to the rule they name (a complete, set or
 * object rule, not a function): its value comes from the interpreter's memoized rule document
 * (eval/direct.ts), the segments after it are looked up here. Anything else (packages, base
 * data alone, functions) stays with the interpreter.
 */
function dataPrefix(g: Emitter, t: Ref): Ref {
  let node: ReturnType<typeof g.ev.policy.root.find> = g.ev.policy.root;
  let used = 0;
  while (node && !node.hasRules && used < t.path.length) {
    const seg = t.path[used]!;
    if (seg.type !== "scalar" || typeof seg.value !== "string") throw INELIGIBLE;
    node = node.children.get(seg.value);
    used++;
  }
  if (!node || !node.hasRules || node.isFunction) throw INELIGIBLE;
  let p = prefixes.get(t);
  if (!p || p.path.length !== used) {
    p = { type: "ref", head: t.head, path: t.path.slice(0, used), loc: t.loc };
    prefixes.set(t, p);
  }
  return p;
}

function callCode(g: Emitter, s: Scope, t: Call, fail: string): string {
  const op = t.op;
  // A call with an output operand binds a var: the interpreter's work.
  if (g.ev.callSite(t).out !== undefined || op === "walk" || op === "print") throw INELIGIBLE;
  const cmp = COMPARE[op];
  if (cmp && t.args.length === 2) {
    const [a, b] = t.args.map((x) => termCode(g, s, x, fail)) as [string, string];
    return valueOf(g, cmp(a, b), undefined);
  }
  if (op === "internal.member_2" && t.args.length === 2) {
    const [x, c] = t.args.map((a) => termCode(g, s, a, fail)) as [string, string];
    // A set literal (`rc.type in {"a", "b"}`) answers by hash, no type test needed.
    if (constValue(t.args[1]!) instanceof RSet) return valueOf(g, `${c}.has(${x})`, undefined);
    return valueOf(g, `${c} instanceof R.RSet ? ${c}.has(${x}) : R.memberOf(${x}, ${c}, undefined)`, undefined);
  }
  if (op === "internal.member_3" && t.args.length === 3) {
    const [k, x, c] = t.args.map((a) => termCode(g, s, a, fail)) as [string, string, string];
    return valueOf(g, `R.memberOf(${x}, ${c}, ${k})`, undefined);
  }
  if (op.startsWith("data.")) return functionCall(g, s, t, fail);
  const def = builtins.get(op);
  if (!def) throw INELIGIBLE;
  const special = op === "sprintf" ? sprintfCode(g, s, t, fail) : undefined;
  if (special !== undefined) return special;
  const args = t.args.map((a) => termCode(g, s, a, fail));
  const general = `ev.callBuiltinDef(${g.constant(def)}, [${args.join(", ")}], ${g.constant(t)}, ${g.constant(operandCheck(def))})`;
  // What eval/builtin-shortcuts.ts answers without the general call; anything else takes it.
  const key = op === "object.get" && args.length === 3 ? constValue(t.args[1]!) : undefined;
  const sep = op === "concat" && args.length === 2 ? constValue(t.args[0]!) : undefined;
  let expr = general;
  if (op === "count" && args.length === 1) {
    const x = args[0]!;
    expr = `${x} instanceof R.RArray ? R.RNumber.fromInt(${x}.length) : ${x} instanceof R.RSet || ${x} instanceof R.RObject ? R.RNumber.fromInt(${x}.size) : ${general}`;
  } else if (typeof key === "string") {
    const [o, , d] = args as [string, string, string];
    expr = `${o} instanceof R.RObject ? (${o}.getCached(${args[1]}, ${g.constant({ index: undefined, pos: 0 })}) ?? ${d}) : ${general}`;
  } else if (op === "sort" && args.length === 1) {
    expr = `${args[0]} instanceof R.RSet ? new R.RArray(${args[0]}.values().slice()) : ${general}`;
  } else if (typeof sep === "string") {
    expr = `R.concatStrings(${args[0]}, ${args[1]}) ?? ${general}`;
  }
  return valueOf(g, expr, fail);
}

/** `sprintf` of a constant plain format over an array literal: strings joined, else the builtin. */
function sprintfCode(g: Emitter, s: Scope, t: Call, fail: string): string | undefined {
  const format = constValue(t.args[0]!);
  const list = t.args[1];
  if (t.args.length !== 2 || typeof format !== "string" || list?.type !== "array") return undefined;
  const parts = plainFormatParts(format);
  if (!parts || parts.filter((p) => typeof p === "number").length !== list.items.length) return undefined;
  const items = list.items.map((x) => termCode(g, s, x, fail));
  const def = builtins.get("sprintf")!;
  const general = `ev.callBuiltinDef(${g.constant(def)}, [${g.constant(format)}, new R.RArray([${items.join(", ")}])], ${g.constant(t)}, ${g.constant(operandCheck(def))})`;
  // Strings are written out in place (no operand array); any other operand takes the builtin.
  const strings = items.map((x) => `typeof ${x} === "string"`).join(" && ") || "true";
  const joined = parts.map((p) => (typeof p === "string" ? g.constant(p) : items[p]!)).join(" + ") || g.constant("");
  return valueOf(g, `${strings} ? ${joined} : ${general}`, fail);
}

/**
 * A user function: its compiled form (eval/functions.ts) when it has one and is not already
 * running, else the interpreter's call. Only names of functions; anything else is left alone.
 */
function functionCall(g: Emitter, s: Scope, t: Call, fail: string): string {
  const node = functionNode(g.ev.policy, t.op);
  if (!node?.isFunction) throw INELIGIBLE;
  const vals = t.args.map((a) => termCode(g, s, a, fail));
  const inlined = inlineFunction(g, node, vals, fail);
  if (inlined !== undefined) return inlined;
  const fast = compileFunction(node, t.args.length);
  const args = valueOf(g, `[${vals.join(", ")}]`, undefined);
  const out = g.fresh("r");
  const n = g.constant(node);
  if (fast) {
    g.emit(`let ${out} = ${g.constant(fast)}(ev, ${args});`);
    g.emit(`if (${out} === R.GEN) ${out} = R.functionValue(ev, ${n}, ${args});`);
  } else g.emit(`const ${out} = R.functionValue(ev, ${n}, ${args});`);
  g.emit(`if (${out} === undefined) ${fail}`);
  return out;
}

/**
 * The body of a one-rule function without loops (`taggable(rc) if rc.type in {...}`) written
 * out at the call, its parameters the operands' locals: at most one solution, so no conflict to
 * check. Undefined (nothing emitted) for any other function; the call then goes through it.
 */
function inlineFunction(g: Emitter, node: RuleNode, vals: readonly string[], fail: string): string | undefined {
  const r = node.rules.length === 1 && !node.defaultRule ? node.rules[0]! : undefined;
  if (!r || r.elses.length > 0 || !r.args || r.args.length !== vals.length || g.inlining >= 4) return undefined;
  if (r.body.some((e) => e.kind === "somein" || e.kind === "every" || e.kind === "some")) return undefined;
  const names = r.args.map((a) => (a.type === "var" ? a.name : ""));
  if (names.some((n) => n === "" || n === "input" || n === "data") || new Set(names).size !== names.length) return undefined;
  const fs = new Scope(undefined, true);
  names.forEach((n, i) => fs.vars.set(n, vals[i]!));
  const mark = g.lines.length;
  const out = g.fresh("r");
  const block = g.fresh("F");
  g.inlining++;
  try {
    g.emit(`let ${out}; ${block}: {`);
    const decl = g.lines.length;
    g.emit("");
    bodyCode(g, fs, r.body, `break ${block};`, (s2, f2) => { g.emit(`${out} = ${termCode(g, s2, r.value, f2)};`); });
    if (fs.decls.length > 0) g.lines[decl] = `let ${fs.decls.join(", ")};`;
    g.emit("}");
  } catch (e) {
    if (e !== INELIGIBLE) throw e;
    g.lines.length = mark;
    return undefined;
  } finally {
    g.inlining--;
  }
  g.emit(`if (${out} === undefined) ${fail}`);
  return out;
}
