import type { Body, Term } from "../../ast/types.js";
import type { CompiledPolicy } from "../../compiler/compiler.js";
import type { Evaluator } from "../evaluator.js";
import type { Frame, K, KV } from "../context.js";
import { Emitter, INELIGIBLE, Scope } from "./emitter.js";
import { bodyCode } from "./body-codegen.js";
import { RUNTIME } from "./runtime.js";
import { termCode } from "./term-codegen.js";

/** A compiled body's answer when the caller's frame does not fit it: run the interpreter instead. */
export const BAIL = Symbol("bail");

/** A body as one generated JS function: true when `k` asked to stop, BAIL before doing anything. */
export type CompiledBody = (ev: Evaluator, f: Frame, k: K) => boolean | typeof BAIL;

interface Entry { policy: CompiledPolicy; fn: CompiledBody | undefined }
const compiled = new WeakMap<Body, Entry>();

/**
 * The body compiled to JavaScript (once per body and policy), or undefined when it uses what
 * the generator leaves to the interpreter (`with`, `every`, iteration over unbound refs,
 * patterns, object literals of vars, calls with output operands, ...).
 *
 * The caller runs it only without `with` overrides, mocks, disabled builtins, coverage or
 * tracing (see `Evaluator.evalBody`): those keep the interpreter, whose every step they observe.
 * Rego vars are JS locals; the solution's vars are written to the frame just for `k` (rule heads
 * and queries read them there).
 */
export function compiledBody(body: Body, ev: Evaluator): CompiledBody | undefined {
  const known = compiled.get(body);
  if (known && known.policy === ev.policy) return known.fn;
  const fn = generate(body, undefined, ev) as CompiledBody | undefined;
  compiled.set(body, { policy: ev.policy, fn });
  return fn;
}

/** A rule body and its head's value (a set rule's member, a complete rule's value), for `onValue`. */
export type CompiledRule = (ev: Evaluator, f: Frame, onValue: KV) => boolean | typeof BAIL;

const rules = new WeakMap<Term, { policy: CompiledPolicy; fn: CompiledRule | undefined }>();

/**
 * {@link compiledBody} with the rule's head computed in the generated code too: each solution's
 * value goes to `onValue` without writing the body's vars to a frame. Undefined when either is
 * left to the interpreter.
 */
export function compiledRule(body: Body, head: Term, ev: Evaluator): CompiledRule | undefined {
  const known = rules.get(head);
  if (known && known.policy === ev.policy) return known.fn;
  const fn = generate(body, head, ev) as CompiledRule | undefined;
  rules.set(head, { policy: ev.policy, fn });
  return fn;
}

function generate(body: Body, head: Term | undefined, ev: Evaluator): CompiledBody | CompiledRule | undefined {
  if (body.length === 0 && !head) return undefined;
  const g = new Emitter(ev);
  const s = new Scope(undefined);
  try {
    const decl = g.lines.length;
    g.emit("");
    bodyCode(g, s, body, "return false;", (top, fail) => {
      if (head) g.emit(`if (k(${termCode(g, top, head, fail)})) return true;`);
      else solutionCode(g, top);
    });
    g.emit("return false;");
    const hoisted = [...g.hoisted.values()].map((h) => `${h} = R.GEN`);
    const decls = [...s.decls, ...hoisted];
    if (decls.length > 0) g.lines[decl] = `let ${decls.join(", ")};`;
  } catch (e) {
    if (e === INELIGIBLE) return undefined;
    throw e;
  }
  for (const name of g.entry.keys()) if (g.binds.has(name)) return undefined;
  // The caller's frame: vars read before being bound must be there, those bound must not.
  const prologue: string[] = [];
  for (const [name, id] of g.entry) prologue.push(`const ${id} = f.get(${JSON.stringify(name)}); if (${id} === undefined) return BAIL;`);
  for (const name of g.binds) prologue.push(`if (f.get(${JSON.stringify(name)}) !== undefined) return BAIL;`);
  const consts = g.table.map((_, i) => `const K${i} = K[${i}];`).join("\n");
  const source = `${consts}\nreturn function compiledBody(ev, f, k) {\n${prologue.join("\n")}\n${g.lines.join("\n")}\n};`;
  // Source made from the AST's shape alone: policy values and names reach it only as constants
  // (the table K) and JSON string literals, never as code.
  return new Function("R", "BAIL", "K", source)(RUNTIME, BAIL, g.table) as CompiledBody;
}

/** One solution of the body: its vars into the frame for `k`, out again after. */
function solutionCode(g: Emitter, top: Scope): void {
  const own = [...top.vars].filter(([name]) => !g.entry.has(name));
  if (own.length === 0) {
    g.emit("if (k()) return true;");
    return;
  }
  g.emit(own.map(([name, id]) => `f.set(${JSON.stringify(name)}, ${id});`).join(" "));
  g.emit(`try { if (k()) return true; } finally { ${own.map(([name]) => `f.set(${JSON.stringify(name)}, undefined);`).join(" ")} }`);
}
