import type { Body, Expr, Term } from "../ast/types.js";
import type { RegoErrorDetail } from "../errors.js";
import { unboundByUnify } from "./unify-safety.js";
import type { UnifyExpr } from "./unify-safety.js";

/** Number of operands of a callable, or undefined when unknown (then no output arg is assumed). */
export type ArityOf = (op: string) => number | undefined;

const ROOTS = new Set(["data", "input"]);

interface ExprVars {
  /** Vars the expression can bind (pattern positions and ref generators). */
  outs: Set<string>;
  /** Vars the expression needs bound before it runs. */
  ins: Set<string>;
  /** Every var mentioned inside nested comprehensions/every bodies (closure candidates). */
  nested: Set<string>;
  all: Set<string>;
}

function collect(t: Term, pattern: boolean, v: ExprVars, arityOf: ArityOf): void {
  switch (t.type) {
    case "scalar": return;
    case "var":
      if (ROOTS.has(t.name)) return;
      v.all.add(t.name);
      (pattern ? v.outs : v.ins).add(t.name);
      return;
    case "ref":
      if (t.head.type === "var") { if (!ROOTS.has(t.head.name)) { v.ins.add(t.head.name); v.all.add(t.head.name); } }
      else collect(t.head, false, v, arityOf);
      for (const p of t.path) collect(p, true, v, arityOf);
      return;
    case "array":
    case "set":
      for (const x of t.items) collect(x, pattern, v, arityOf);
      return;
    case "object":
      for (const [k, x] of t.entries) { collect(k, false, v, arityOf); collect(x, pattern, v, arityOf); }
      return;
    case "call": {
      const n = arityOf(t.op);
      t.args.forEach((a, i) => collect(a, n !== undefined && i === n && i === t.args.length - 1, v, arityOf));
      return;
    }
    case "template":
      for (const p of t.parts) if (typeof p !== "string") collect(p, false, v, arityOf);
      return;
    case "arraycomp":
    case "setcomp":
    case "objectcomp":
      nestedVars(t, v.nested);
      return;
  }
}

function nestedVars(t: Term | Expr, out: Set<string>): void {
  const visit = (x: Term): void => {
    switch (x.type) {
      case "var": if (!ROOTS.has(x.name)) out.add(x.name); return;
      case "ref": visit(x.head); x.path.forEach(visit); return;
      case "array": case "set": x.items.forEach(visit); return;
      case "object": x.entries.forEach(([k, v]) => { visit(k); visit(v); }); return;
      case "call": x.args.forEach(visit); return;
      case "template": x.parts.forEach((p) => typeof p !== "string" && visit(p)); return;
      case "arraycomp": case "setcomp": visit(x.term); x.body.forEach((e) => nestedVars(e, out)); return;
      case "objectcomp": visit(x.key); visit(x.value); x.body.forEach((e) => nestedVars(e, out)); return;
      default: return;
    }
  };
  if ("kind" in t) {
    const e = t;
    for (const w of e.withs) { visit(w.target); visit(w.value); }
    switch (e.kind) {
      case "term": visit(e.term); break;
      case "unify": visit(e.left); visit(e.right); break;
      case "some": e.vars.forEach(visit); break;
      case "somein": if (e.key) visit(e.key); visit(e.value); visit(e.domain); break;
      case "every": if (e.key) visit(e.key); visit(e.value); visit(e.domain); e.body.forEach((b) => nestedVars(b, out)); break;
    }
  } else visit(t);
}

function exprVars(e: Expr, arityOf: ArityOf): ExprVars {
  const v: ExprVars = { outs: new Set(), ins: new Set(), nested: new Set(), all: new Set() };
  switch (e.kind) {
    case "term": collect(e.term, false, v, arityOf); break;
    case "unify": collect(e.left, true, v, arityOf); collect(e.right, true, v, arityOf); break;
    case "some": break;
    case "somein":
      if (e.key) collect(e.key, true, v, arityOf);
      collect(e.value, true, v, arityOf);
      collect(e.domain, false, v, arityOf);
      break;
    case "every": {
      collect(e.domain, false, v, arityOf);
      const inner = new Set<string>();
      e.body.forEach((b) => nestedVars(b, inner));
      const local = new Set<string>();
      if (e.key) nestedVars(e.key, local);
      nestedVars(e.value, local);
      for (const x of inner) if (!local.has(x)) v.nested.add(x);
      break;
    }
  }
  for (const w of e.withs) {
    // `with f as other.function`: the replacement is a name, not a var to bind.
    if (!isNamedCallable(w.value, arityOf)) collect(w.value, false, v, arityOf);
  }
  // A var a ref generates (`x == a[x]`) is not an input, wherever else it appears.
  if (e.kind === "term" || e.kind === "unify") for (const x of v.outs) v.ins.delete(x);
  return v;
}

/** Result of ordering a body: the new order, and vars bound after it. */
export interface Ordered { body: Body; bound: Set<string> }

/**
 * Reorders a body so every expression's inputs are bound before it runs (OPA's safety
 * reordering), keeping the written order otherwise. `visible` are outer-scope vars (for
 * deciding what a comprehension captures); `needed` must be bound at the end (head vars).
 */
export function orderBody(
  body: Body,
  bound0: ReadonlySet<string>,
  visible: ReadonlySet<string>,
  needed: readonly Term[],
  arityOf: ArityOf,
  errors: RegoErrorDetail[],
): Ordered {
  const infos = body.map((e) => exprVars(e, arityOf));
  // Occurrence counts of each var over the body, to tell closures from comprehension locals.
  const shallow = new Set<string>();
  infos.forEach((info) => { for (const x of info.all) shallow.add(x); });
  const headVars = new Set<string>();
  for (const t of needed) nestedVars(t, headVars);
  // A var declared with `:=` later in the body is a different var from a same-named one
  // inside an earlier comprehension (OPA scopes declarations from their position on).
  const declaredAt = new Map<string, number>();
  body.forEach((e, i) => {
    if (e.kind === "unify" && e.op === ":=") for (const x of termVars(e.left)) if (!declaredAt.has(x)) declaredAt.set(x, i);
  });
  const bound = new Set(bound0);
  const someDeclared = new Set<string>();
  const reqs = body.map((e, i) => {
    const info = infos[i]!;
    const ins = new Set(info.ins);
    const elsewhere = (x: string): boolean => visible.has(x) || bound0.has(x) || shallow.has(x) || headVars.has(x);
    for (const x of info.nested) if (elsewhere(x) && !info.outs.has(x) && !((declaredAt.get(x) ?? -1) > i)) ins.add(x);
    if (e.negated) for (const x of info.outs) if (elsewhere(x)) ins.add(x);
    if (e.kind === "some") e.vars.forEach((x) => someDeclared.add(x.name));
    return ins;
  });
  const remaining = body.map((_, i) => i);
  const out: Body = [];
  while (remaining.length > 0) {
    let pick = -1;
    for (let j = 0; j < remaining.length; j++) {
      const i = remaining[j]!;
      let ok = true;
      for (const x of reqs[i]!) if (!bound.has(x)) { ok = false; break; }
      if (ok && isUnify(body[i]!) && unboundByUnify(body[i] as UnifyExpr, infos[i]!.outs, bound).length > 0) ok = false;
      if (ok) { pick = j; break; }
    }
    if (pick < 0) {
      // As OPA reports them: each var that stays unbound once, at the first expression needing it.
      const reported = new Set<string>();
      for (const i of remaining) {
        const unsafe = [...reqs[i]!].filter((x) => !bound.has(x));
        if (isUnify(body[i]!)) unsafe.push(...unboundByUnify(body[i] as UnifyExpr, infos[i]!.outs, bound));
        for (const x of [...new Set(unsafe)].sort()) {
          if (reported.has(x)) continue;
          reported.add(x);
          errors.push({ code: "rego_unsafe_var_error", message: `var ${displayVar(x)} is unsafe`, location: body[i]!.loc });
        }
      }
      return { body: [...out, ...remaining.map((i) => body[i]!)], bound };
    }
    const i = remaining.splice(pick, 1)[0]!;
    const e = body[i]!;
    out.push(e);
    if (!e.negated) for (const x of infos[i]!.outs) bound.add(x);
  }
  for (const t of needed) {
    const hv: ExprVars = { outs: new Set(), ins: new Set(), nested: new Set(), all: new Set() };
    collect(t, false, hv, arityOf);
    for (const x of hv.ins) {
      if (!bound.has(x) && !someDeclared.has(x)) {
        errors.push({ code: "rego_unsafe_var_error", message: `var ${displayVar(x)} is unsafe`, location: t.loc });
      }
    }
  }
  return { body: out, bound };
}

/** A unification whose pattern vars are bound by what the other side is (not negated). */
function isUnify(e: Expr): boolean {
  return e.kind === "unify" && !e.negated;
}

/** Wildcards print as `_` would in OPA's messages; renamed locals drop their suffix. */
export function displayVar(name: string): string {
  if (name.startsWith("$_")) return "_";
  const at = name.indexOf("$");
  return at > 0 ? name.slice(0, at) : name;
}

/** Non-root vars a body mentions outside its nested comprehensions and `every` bodies. */
export function bodyVars(body: Body, arityOf: ArityOf): Set<string> {
  const out = new Set<string>();
  for (const e of body) {
    const info = exprVars(e, arityOf);
    for (const x of info.all) out.add(x);
    if (e.kind === "some") e.vars.forEach((v) => out.add(v.name));
    if (e.kind === "every") { if (e.key) nestedVars(e.key, out); nestedVars(e.value, out); }
  }
  return out;
}

/** All non-root vars mentioned by a term (nested bodies included). */
export function termVars(t: Term): Set<string> {
  const out = new Set<string>();
  nestedVars(t, out);
  return out;
}

function isNamedCallable(t: Term, arityOf: ArityOf): boolean {
  if (t.type !== "var" && t.type !== "ref") return false;
  if (t.type === "ref" && (t.head.type !== "var" || !t.path.every((p) => p.type === "scalar" && typeof p.value === "string"))) return false;
  const name = t.type === "var" ? t.name : [(t.head as { name: string }).name, ...t.path.map((p) => String((p as { value: unknown }).value))].join(".");
  return arityOf(name) !== undefined;
}
