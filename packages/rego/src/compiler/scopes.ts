import type { Body, Expr, Term } from "../ast/types.js";
import type { RegoErrorDetail } from "../errors.js";
import { orderBody, bodyVars, termVars } from "./safety.js";
import type { ArityOf } from "./safety.js";
import { mapBody, mapTerm } from "./walk-terms.js";

let renameCounter = 0;

/** Context shared by one compile: callables' arities and the error sink. */
export interface ScopeContext { arityOf: ArityOf; errors: RegoErrorDetail[] }

function renameInTerm(t: Term, names: Map<string, string>): Term {
  return mapTerm(t, (x) => (x.type === "var" && names.has(x.name) ? { ...x, name: names.get(x.name)! } : x));
}

/** Vars a nested body declares at its own top level (`some x`, `x := ...`, `some x in ...`). */
function declaredAtTop(body: Body): Set<string> {
  const out = new Set<string>();
  const pattern = (t: Term | undefined): void => {
    if (!t) return;
    if (t.type === "var") out.add(t.name);
    else if (t.type === "array") t.items.forEach(pattern);
    else if (t.type === "object") t.entries.forEach(([, v]) => pattern(v));
  };
  for (const e of body) {
    if (e.kind === "some") e.vars.forEach((v) => out.add(v.name));
    else if (e.kind === "somein") { pattern(e.key); pattern(e.value); }
    else if (e.kind === "unify" && e.op === ":=") pattern(e.left);
  }
  return out;
}

function shadowMap(declared: Iterable<string>, visible: ReadonlySet<string>): Map<string, string> {
  const names = new Map<string, string>();
  for (const d of declared) if (visible.has(d)) names.set(d, `${d}$${++renameCounter}`);
  return names;
}

/**
 * Orders a body for safety and recurses into comprehensions and `every` bodies with the vars
 * bound at that point, renaming nested declarations that shadow outer vars.
 */
export function processBody(body: Body, bound0: ReadonlySet<string>, visible: ReadonlySet<string>, needed: Term[], ctx: ScopeContext): Body {
  const ordered = orderBody(body, bound0, visible, needed, ctx.arityOf, ctx.errors);
  const innerVisible = new Set([...visible, ...bound0, ...bodyVars(body, ctx.arityOf)]);
  for (const t of needed) for (const v of termVars(t)) innerVisible.add(v);
  const bound = new Set(bound0);
  const out: Body = [];
  for (const e of ordered.body) {
    out.push(processNested(e, bound, innerVisible, ctx));
    for (const v of exprOutputs(e)) bound.add(v);
  }
  return out;
}

/** Vars an expression may bind, approximated as all its vars outside nested bodies. */
function exprOutputs(e: Expr): Set<string> {
  if (e.negated) return new Set();
  const out = new Set<string>();
  const visit = (t: Term): void => {
    switch (t.type) {
      case "var": out.add(t.name); return;
      case "ref": visit(t.head); t.path.forEach(visit); return;
      case "array": case "set": t.items.forEach(visit); return;
      case "object": t.entries.forEach(([k, v]) => { visit(k); visit(v); }); return;
      case "call": t.args.forEach(visit); return;
      default: return;
    }
  };
  switch (e.kind) {
    case "term": visit(e.term); break;
    case "unify": visit(e.left); visit(e.right); break;
    case "somein": if (e.key) visit(e.key); visit(e.value); break;
    default: break;
  }
  return out;
}

function processNested(e: Expr, bound: ReadonlySet<string>, visible: ReadonlySet<string>, ctx: ScopeContext): Expr {
  const f = (t: Term): Term => processComps(t, bound, visible, ctx);
  const withs = e.withs.map((w) => ({ ...w, value: f(w.value) }));
  switch (e.kind) {
    case "term": return { ...e, term: f(e.term), withs };
    case "unify": return { ...e, left: f(e.left), right: f(e.right), withs };
    case "some": return e;
    case "somein": return { ...e, domain: f(e.domain), withs };
    case "every": {
      const locals = new Set<string>();
      if (e.key) termVars(e.key).forEach((v) => locals.add(v));
      termVars(e.value).forEach((v) => locals.add(v));
      const names = shadowMap([...locals, ...declaredAtTop(e.body)], visible);
      const key = e.key && renameInTerm(e.key, names);
      const value = renameInTerm(e.value, names);
      let body = mapBody(e.body, (x) => (x.type === "var" && names.has(x.name) ? { ...x, name: names.get(x.name)! } : x));
      const inner = new Set(bound);
      if (key) termVars(key).forEach((v) => inner.add(v));
      termVars(value).forEach((v) => inner.add(v));
      body = processBody(body, inner, visible, [], ctx);
      return { ...e, key, value, domain: f(e.domain), body, withs };
    }
  }
}

/** Finds comprehensions top-down (outermost first) and processes their bodies. */
function processComps(t: Term, bound: ReadonlySet<string>, visible: ReadonlySet<string>, ctx: ScopeContext): Term {
  const rec = (x: Term): Term => processComps(x, bound, visible, ctx);
  switch (t.type) {
    case "scalar": case "var": return t;
    case "ref": return { ...t, head: rec(t.head), path: t.path.map(rec) };
    case "array": return { ...t, items: t.items.map(rec) };
    case "set": return { ...t, items: t.items.map(rec) };
    case "object": return { ...t, entries: t.entries.map(([k, v]) => [rec(k), rec(v)] as [Term, Term]) };
    case "call": return { ...t, args: t.args.map(rec) };
    case "template": return { ...t, parts: t.parts.map((p) => (typeof p === "string" ? p : rec(p))) };
    case "arraycomp": case "setcomp": case "objectcomp": {
      const names = shadowMap(declaredAtTop(t.body), visible);
      const rn = (x: Term): Term => renameInTerm(x, names);
      const body = processBody(mapBody(t.body, (x) => (x.type === "var" && names.has(x.name) ? { ...x, name: names.get(x.name)! } : x)), bound, visible,
        t.type === "objectcomp" ? [rn(t.key), rn(t.value)] : [rn(t.term)], ctx);
      if (t.type === "objectcomp") return { ...t, key: rn(t.key), value: rn(t.value), body };
      return { ...t, term: rn(t.term), body };
    }
  }
}

/** Processes comprehensions inside a rule head term, with the body's vars as bound. */
export function processHeadTerm(t: Term, bound: ReadonlySet<string>, ctx: ScopeContext): Term {
  return processComps(t, bound, bound, ctx);
}
