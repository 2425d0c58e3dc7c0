import type { Body, Expr, Module, Rule, Term, VarTerm } from "../ast/types.js";
import { refPath } from "../parser/module-parser.js";
import { mapBody, mapTerm } from "./walk-terms.js";

/** Names a rule body declares locally (function args, `some`, `:=`, `every`), which shadow rules. */
function declaredLocals(rule: Rule): Set<string> {
  const out = new Set<string>();
  const addVars = (t: Term | undefined): void => {
    if (!t) return;
    mapTerm(t, (x) => { if (x.type === "var") out.add(x.name); return x; });
  };
  const visitBody = (b: Body): void => {
    for (const e of b) {
      if (e.kind === "some") e.vars.forEach((v) => out.add(v.name));
      if (e.kind === "somein") { addVars(e.key); addVars(e.value); }
      if (e.kind === "unify" && e.op === ":=") addPattern(e.left, out);
      if (e.kind === "every") { addVars(e.key); addVars(e.value); visitBody(e.body); }
    }
  };
  for (const a of rule.args ?? []) addVars(a);
  visitBody(rule.body);
  for (const el of rule.elses) visitBody(el.body);
  return out;
}

function addPattern(t: Term, out: Set<string>): void {
  if (t.type === "var") out.add(t.name);
  else if (t.type === "array") t.items.forEach((x) => addPattern(x, out));
  else if (t.type === "object") t.entries.forEach(([, v]) => addPattern(v, out));
}

/**
 * Rewrites names to absolute refs: rules of the same package become `data.<pkg>.<name>`, import
 * aliases expand to their paths, and function calls get absolute names. Locals are left alone.
 */
export class RefResolver {
  private aliases = new Map<string, string[]>();

  constructor(private module: Module, private packageRules: ReadonlySet<string>) {
    for (const imp of module.imports) {
      const path = refPath(imp.path);
      if (!path || path[0] === "future" || path[0] === "rego") continue;
      const alias = imp.alias ?? path[path.length - 1]!;
      this.aliases.set(alias, path);
    }
  }

  private resolveName(name: string, locals: ReadonlySet<string>): string[] | undefined {
    if (locals.has(name) || name === "data" || name === "input") return undefined;
    const imp = this.aliases.get(name);
    if (imp) return imp;
    if (this.packageRules.has(name)) return ["data", ...this.module.package, name];
    return undefined;
  }

  private rewrite(t: Term, locals: ReadonlySet<string>): Term {
    return mapTerm(t, (x) => {
      if (x.type === "var") {
        const path = this.resolveName(x.name, locals);
        return path ? pathRef(path, x) : x;
      }
      if (x.type === "ref" && x.head.type === "ref") {
        return { ...x, head: x.head.head, path: [...x.head.path, ...x.path] };
      }
      if (x.type === "call") {
        const parts = x.op.split(".");
        const head = parts[0]!;
        const path = this.resolveName(head, locals);
        if (path) return { ...x, op: [...path, ...parts.slice(1)].join(".") };
      }
      return x;
    });
  }

  resolveRule(rule: Rule): Rule {
    const locals = declaredLocals(rule);
    // Head-key vars and body vars not declared are still locals unless they name a rule/import.
    const body = this.resolveBody(rule.body, locals);
    return {
      ...rule,
      key: rule.key && this.rewrite(rule.key, locals),
      value: this.rewrite(rule.value, locals),
      path: rule.path.map((p, i) => (i === 0 ? p : this.rewrite(p, locals))),
      body,
      elses: rule.elses.map((e) => this.resolveRule(e)),
    };
  }

  resolveBody(body: Body, locals: ReadonlySet<string>): Body {
    return mapBody(body, (t) => t).map((e) => this.resolveExpr(e, locals));
  }

  private resolveExpr(e: Expr, locals: ReadonlySet<string>): Expr {
    const f = (t: Term): Term => this.rewrite(t, locals);
    const withs = e.withs.map((w) => ({ ...w, target: f(w.target), value: f(w.value) }));
    switch (e.kind) {
      case "term": return { ...e, term: f(e.term), withs };
      case "unify": return { ...e, left: f(e.left), right: f(e.right), withs };
      case "some": return { ...e, withs };
      case "somein": return { ...e, key: e.key && f(e.key), value: f(e.value), domain: f(e.domain), withs };
      case "every": return { ...e, key: e.key && f(e.key), value: f(e.value), domain: f(e.domain), body: this.resolveBody(e.body, locals), withs };
    }
  }
}

/** Builds `data.a.b` style ref term from a path, located at `at`. */
export function pathRef(path: string[], at: VarTerm | Term): Term {
  const loc = at.loc;
  const head: VarTerm = { type: "var", name: path[0]!, loc };
  if (path.length === 1) return head;
  return { type: "ref", head, path: path.slice(1).map((p) => ({ type: "scalar", value: p, loc })), loc };
}
