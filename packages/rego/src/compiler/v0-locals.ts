import type { Body, Expr, Module, Rule, Term } from "../ast/types.js";
import { mapTerm } from "./walk-terms.js";

let counter = 0;

function patternVars(t: Term, out: string[]): void {
  if (t.type === "var") out.push(t.name);
  else if (t.type === "array") t.items.forEach((x) => patternVars(x, out));
  else if (t.type === "object") t.entries.forEach(([, v]) => patternVars(v, out));
}

type Renames = ReadonlyMap<string, string>;

function renameTerm(t: Term, names: Renames): Term {
  if (names.size === 0) return t;
  return mapTerm(t, (x) => {
    if (x.type === "var" && names.has(x.name)) return { ...x, name: names.get(x.name)! };
    if (x.type === "arraycomp" || x.type === "setcomp") return { ...x, body: rewriteBody(x.body, names).body };
    if (x.type === "objectcomp") return { ...x, body: rewriteBody(x.body, names).body };
    return x;
  });
}

/**
 * Renames, from its declaration on, a body's local `input`/`data` (`input := {...}`) to a fresh
 * variable. `with` targets keep naming the documents, so `allow with input as input` replaces
 * the input document with the local value. Returns the renames in force after the body.
 */
function rewriteBody(body: Body, outer: Renames): { body: Body; names: Renames } {
  let names = new Map(outer);
  const out: Body = [];
  for (const e of body) {
    if (e.kind === "unify" && e.op === ":=") {
      const declared: string[] = [];
      patternVars(e.left, declared);
      const shadowing = declared.filter((n) => n === "input" || n === "data");
      if (shadowing.length > 0) {
        const right = renameTerm(e.right, names);
        names = new Map(names);
        for (const n of shadowing) names.set(n, `${n}$local${++counter}`);
        out.push({ ...renameExpr(e, names), right } as Expr);
        continue;
      }
    }
    out.push(renameExpr(e, names));
  }
  return { body: out, names };
}

function renameExpr(e: Expr, names: Renames): Expr {
  if (names.size === 0 && e.kind !== "every") return e;
  const f = (t: Term): Term => renameTerm(t, names);
  const withs = e.withs.map((w) => ({ ...w, value: f(w.value) }));
  switch (e.kind) {
    case "term": return { ...e, term: f(e.term), withs };
    case "unify": return { ...e, left: f(e.left), right: f(e.right), withs };
    case "some": return { ...e, withs };
    case "somein": return { ...e, key: e.key && f(e.key), value: f(e.value), domain: f(e.domain), withs };
    case "every": return { ...e, key: e.key && f(e.key), value: f(e.value), domain: f(e.domain), body: rewriteBody(e.body, names).body, withs };
  }
}

function rewriteRule(r: Rule): Rule {
  const { body, names } = rewriteBody(r.body, new Map());
  if (names.size === 0 && body.every((e, i) => e === r.body[i])) return { ...r, elses: r.elses.map(rewriteRule) };
  return {
    ...r,
    body,
    value: renameTerm(r.value, names),
    key: r.key && renameTerm(r.key, names),
    elses: r.elses.map(rewriteRule),
  };
}

/**
 * Rego v0 outside strict mode lets a rule body declare a local variable named `input` or `data`
 * (Spacelift's test files often write `input := {...}` then `deny with input as input`). OPA
 * treats it as an ordinary local from its declaration on; v1 and strict mode refuse it.
 */
export function rewriteV0LocalDocuments(m: Module): Module {
  if (m.regoVersion !== 0) return m;
  const mod: Module = { ...m, rules: m.rules.map(rewriteRule) };
  return mod;
}
