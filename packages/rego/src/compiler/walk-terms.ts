import type { Body, Expr, Term } from "../ast/types.js";

/** Rebuilds a term bottom-up with `f` applied to every sub-term (bodies included). */
export function mapTerm(t: Term, f: (t: Term) => Term): Term {
  switch (t.type) {
    case "scalar":
    case "var":
      return f(t);
    case "ref":
      return f({ ...t, head: mapTerm(t.head, f), path: t.path.map((p) => mapTerm(p, f)) });
    case "array":
      return f({ ...t, items: t.items.map((x) => mapTerm(x, f)) });
    case "set":
      return f({ ...t, items: t.items.map((x) => mapTerm(x, f)) });
    case "object":
      return f({ ...t, entries: t.entries.map(([k, v]) => [mapTerm(k, f), mapTerm(v, f)] as [Term, Term]) });
    case "call":
      return f({ ...t, opRef: mapTerm(t.opRef, f), args: t.args.map((x) => mapTerm(x, f)) });
    case "arraycomp":
    case "setcomp":
      return f({ ...t, term: mapTerm(t.term, f), body: mapBody(t.body, f) });
    case "objectcomp":
      return f({ ...t, key: mapTerm(t.key, f), value: mapTerm(t.value, f), body: mapBody(t.body, f) });
    case "template":
      return f({ ...t, parts: t.parts.map((p) => (typeof p === "string" ? p : mapTerm(p, f))) });
  }
}

export function mapExpr(e: Expr, f: (t: Term) => Term): Expr {
  const withs = e.withs.map((w) => ({ ...w, target: mapTerm(w.target, f), value: mapTerm(w.value, f) }));
  switch (e.kind) {
    case "term": return { ...e, term: mapTerm(e.term, f), withs };
    case "unify": return { ...e, left: mapTerm(e.left, f), right: mapTerm(e.right, f), withs };
    case "some": return { ...e, vars: e.vars.map((v) => mapTerm(v, f)) as typeof e.vars, withs };
    case "somein": return { ...e, key: e.key && mapTerm(e.key, f), value: mapTerm(e.value, f), domain: mapTerm(e.domain, f), withs };
    case "every": return { ...e, key: e.key && mapTerm(e.key, f), value: mapTerm(e.value, f), domain: mapTerm(e.domain, f), body: mapBody(e.body, f), withs };
  }
}

export function mapBody(b: Body, f: (t: Term) => Term): Body {
  return b.map((e) => mapExpr(e, f));
}

/** Calls `f` on every term in the expression, nested bodies included. */
export function forEachTerm(e: Expr | Term, f: (t: Term) => void): void {
  if ("kind" in e) {
    mapExpr(e, (t) => { f(t); return t; });
  } else {
    mapTerm(e, (t) => { f(t); return t; });
  }
}
