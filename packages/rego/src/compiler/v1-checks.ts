import type { Body, Module, Rule, Term } from "../ast/types.js";
import type { RegoErrorDetail } from "../errors.js";
import { refName } from "../parser/parser.js";
import { refPath } from "../parser/module-parser.js";
import { forEachTerm } from "./walk-terms.js";

/**
 * Checks Rego v1 makes mandatory: duplicate and unused imports, rules named `input`/`data`,
 * locals assigned twice or shadowing `input`/`data`.
 */
export function checkModule(m: Module, errors: RegoErrorDetail[]): void {
  if (m.regoVersion !== 1) return;
  checkImports(m, errors);
  for (const r of m.rules) {
    const head = r.path[0];
    if (head && head.type === "scalar" && (head.value === "input" || head.value === "data") && r.path.length === 1) {
      errors.push({ code: "rego_compile_error", message: `rules must not shadow ${String(head.value)} (use a different rule name)`, location: r.loc });
    }
    checkLocals(r, errors);
    r.elses.forEach((e) => checkLocals(e, errors));
  }
}

function usedNames(m: Module): Set<string> {
  const used = new Set<string>();
  const onTerm = (t: Term): void => {
    if (t.type === "var") used.add(t.name);
    else if (t.type === "call") used.add(t.op.split(".")[0]!);
  };
  const visit = (r: Rule): void => {
    r.body.forEach((e) => forEachTerm(e, onTerm));
    for (const t of [r.value, r.key, ...(r.args ?? []), ...r.path.slice(1)]) if (t) forEachTerm(t, onTerm);
    r.elses.forEach(visit);
  };
  m.rules.forEach(visit);
  return used;
}

function checkImports(m: Module, errors: RegoErrorDetail[]): void {
  const seen = new Set<string>();
  const used = usedNames(m);
  for (const imp of m.imports) {
    const path = refPath(imp.path);
    const name = refName(imp.path);
    if (!path || path[0] === "future" || path[0] === "rego") continue;
    const alias = imp.alias ?? path[path.length - 1]!;
    if (seen.has(alias)) {
      errors.push({ code: "rego_compile_error", message: `import must not shadow import ${name}`, location: imp.loc });
      continue;
    }
    seen.add(alias);
    if (path.length > 1 && !used.has(alias)) {
      errors.push({ code: "rego_compile_error", message: `import ${name}${imp.alias ? ` as ${imp.alias}` : ""} unused`, location: imp.loc });
    }
  }
}

/** Vars of an assignment's left side (`x`, `[a, b]`, `{"k": v}`). */
function patternVars(t: Term, out: Term[]): void {
  if (t.type === "var") out.push(t);
  else if (t.type === "array") t.items.forEach((x) => patternVars(x, out));
  else if (t.type === "object") t.entries.forEach(([, v]) => patternVars(v, out));
}

function checkLocals(r: Rule, errors: RegoErrorDetail[]): void {
  const declared = new Set<string>();
  for (const a of r.args ?? []) forEachTerm(a, (t) => { if (t.type === "var") declared.add(t.name); });
  checkBody(r.body, declared, errors);
}

function checkBody(body: Body, outer: ReadonlySet<string>, errors: RegoErrorDetail[]): void {
  const declared = new Set(outer);
  for (const e of body) {
    if (e.kind === "unify" && e.op === ":=") {
      const vars: Term[] = [];
      patternVars(e.left, vars);
      for (const v of vars) {
        if (v.type !== "var" || v.name.startsWith("$")) continue;
        if (v.name === "input" || v.name === "data") {
          errors.push({ code: "rego_compile_error", message: `variables must not shadow ${v.name} (use a different variable name)`, location: v.loc });
        } else if (declared.has(v.name)) {
          errors.push({ code: "rego_compile_error", message: `var ${v.name} assigned above`, location: v.loc });
        }
        // Unused assignments are only an error in OPA's strict mode (the v1 conformance cases
        // assign unused locals), so they are not reported.
        declared.add(v.name);
      }
    } else if (e.kind === "some") {
      e.vars.forEach((v) => declared.add(v.name));
    }
    // Nested bodies are their own scopes: they see outer declarations and may shadow them.
    const nested = (t: Term): void => {
      if (t.type === "arraycomp" || t.type === "setcomp" || t.type === "objectcomp") checkBody(t.body, new Set(), errors);
    };
    if (e.kind === "every") checkBody(e.body, new Set(), errors);
    else if (e.kind === "term") visitTop(e.term, nested);
    else if (e.kind === "unify") { visitTop(e.left, nested); visitTop(e.right, nested); }
  }
}

/** Visits a term's sub-terms down to (not into) comprehensions. */
function visitTop(t: Term, f: (t: Term) => void): void {
  f(t);
  switch (t.type) {
    case "ref": visitTop(t.head, f); t.path.forEach((p) => visitTop(p, f)); return;
    case "array": case "set": t.items.forEach((x) => visitTop(x, f)); return;
    case "object": t.entries.forEach(([k, v]) => { visitTop(k, f); visitTop(v, f); }); return;
    case "call": t.args.forEach((x) => visitTop(x, f)); return;
    case "template": t.parts.forEach((p) => typeof p !== "string" && visitTop(p, f)); return;
    default: return;
  }
}
